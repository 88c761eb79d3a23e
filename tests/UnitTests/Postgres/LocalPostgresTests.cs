using BuildingBlocks.Postgres;

namespace UnitTests.Postgres;

public sealed class LocalPostgresTests
{
    [Fact]
    public async Task Without_binaries_it_says_what_to_install_or_set()
    {
        var start = () => LocalPostgres.StartAsync(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")), searchDirectories: ["/nonexistent"]);
        var error = (await start.Should().ThrowAsync<LocalPostgresUnavailableException>()).Which;
        error.Message.Should().Contain("apt-get install postgresql").And.Contain("ConnectionStrings__Postgres");
    }
}

public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void Statements_are_prepared_and_connections_not_reset_unless_said_otherwise()
    {
        var tuned = new Npgsql.NpgsqlConnectionStringBuilder(PostgresConnectionString.Tuned("Host=db;Database=envycrm"));
        tuned.MaxAutoPrepare.Should().Be(64);
        tuned.NoResetOnClose.Should().BeTrue();

        var explicitly = new Npgsql.NpgsqlConnectionStringBuilder(
            PostgresConnectionString.Tuned("Host=db;Database=envycrm;Max Auto Prepare=5;No Reset On Close=false"));
        explicitly.MaxAutoPrepare.Should().Be(5);
        explicitly.NoResetOnClose.Should().BeFalse();
    }
}
