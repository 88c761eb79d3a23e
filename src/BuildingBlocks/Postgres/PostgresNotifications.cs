using Microsoft.Extensions.Logging;
using Npgsql;

namespace BuildingBlocks.Postgres;

/// <summary>LISTEN on one PostgreSQL channel for as long as the service runs, reconnecting after a failure.</summary>
public static class PostgresNotifications
{
    /// <param name="listening">Called each time the LISTEN is (re)established: anything committed from then on is heard.</param>
    public static async Task ListenAsync(string connectionString, string channel, Action<string> received, Action listening,
        ILogger logger, CancellationToken stopping)
    {
        connectionString = new NpgsqlConnectionStringBuilder(connectionString) { KeepAlive = 30 }.ConnectionString;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stopping);
                connection.Notification += (_, args) => received(args.Payload);
                await using (var listen = new NpgsqlCommand($"listen {channel}", connection)) await listen.ExecuteNonQueryAsync(stopping);
                listening();
                while (true) await connection.WaitAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Listening on {Channel} failed; reconnecting", channel);
                await Task.Delay(TimeSpan.FromSeconds(1), stopping).ContinueWith(_ => { });
            }
        }
    }
}
