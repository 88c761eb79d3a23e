using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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

    /// <summary>
    /// One pool of connections for the service's own SQL beside Marten's (the card index, the card
    /// table's statistics, projection rebuilds), from <c>ConnectionStrings:Postgres</c>.
    /// </summary>
    public static IServiceCollection AddServiceDatabase(this IServiceCollection services)
    {
        services.TryAddSingleton(s => NpgsqlDataSource.Create(Tuned(s.GetRequiredService<IConfiguration>().GetConnectionString("Postgres")!)));
        return services;
    }
}
