using BuildingBlocks.Postgres;
using Npgsql;

namespace IntegrationTests.Host;

public sealed class LocalPostgresTests
{
    [Fact]
    public async Task A_server_left_running_by_a_crashed_run_is_taken_over_and_stopped_on_exit()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"envycrm-crash-{Guid.NewGuid():N}");
        var crashed = await LocalPostgres.StartAsync(folder); // never disposed: the run "crashed"
        var pidFile = Path.Combine(folder, "cluster", "postmaster.pid");
        File.Exists(pidFile).Should().BeTrue();

        var restarted = await LocalPostgres.StartAsync(folder);
        new NpgsqlConnectionStringBuilder(restarted.ConnectionString).Port
            .Should().Be(new NpgsqlConnectionStringBuilder(crashed.ConnectionString).Port, "the running server is reused");
        await using (var connection = new NpgsqlConnection(restarted.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("select 1", connection);
            (await command.ExecuteScalarAsync()).Should().Be(1);
        }

        await restarted.DisposeAsync();
        File.Exists(pidFile).Should().BeFalse("the server is stopped on exit");
        Directory.Delete(folder, recursive: true);
    }
}
