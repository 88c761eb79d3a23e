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
