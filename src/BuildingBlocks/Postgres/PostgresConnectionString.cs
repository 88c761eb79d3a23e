using Npgsql;

namespace BuildingBlocks.Postgres;

public static class PostgresConnectionString
{
    /// <summary>
    /// The service runs the same few statements on every notification and sets no session state:
    /// prepare statements automatically (parse and plan once per connection) and skip the
    /// <c>DISCARD ALL</c> round trip on every return to the pool. Explicit settings are kept.
    /// </summary>
    public static string Tuned(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase)) builder.NoResetOnClose = true;
        if (builder.MaxAutoPrepare == 0) builder.MaxAutoPrepare = 64;
        return builder.ConnectionString;
    }
}
