using JasperFx;
using Marten;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Weasel.Core;

namespace Host;

/// <summary>
/// <c>/health/live</c>: the process answers. <c>/health/ready</c>: PostgreSQL answers and the schema
/// is what this version expects (Marten compares the database with its configuration).
/// </summary>
public static class Health
{
    public const string Ready = "ready";

    public static void AddHealth(this IServiceCollection services) =>
        services.AddHealthChecks()
            .AddCheck<PostgresAnswers>("postgres", tags: [Ready])
            .AddCheck<SchemaApplied>("schema", tags: [Ready]);

    public static void MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains(Ready), ResponseWriter = WriteAsync });
    }

    private static Task WriteAsync(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), e.Value.Description }),
        });

    public sealed class PostgresAnswers(IDocumentStore store) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
        {
            try
            {
                await using var session = store.QuerySession();
                await session.QueryAsync<int>("select 1", ct);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e)
            {
                return HealthCheckResult.Unhealthy("PostgreSQL does not answer: " + e.GetType().Name);
            }
        }
    }

    /// <summary>Compares the schema with the configuration; once it matches, that is remembered (a schema does not un-apply itself).</summary>
    public sealed class SchemaApplied(IDocumentStore store) : IHealthCheck
    {
        private volatile bool _applied;

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
        {
            if (_applied) return HealthCheckResult.Healthy();
            try
            {
                var migration = await store.Storage.Database.CreateMigrationAsync(ct);
                _applied = migration.Difference == SchemaPatchDifference.None;
                return _applied ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The database schema is not applied yet.");
            }
            catch (Exception e)
            {
                return HealthCheckResult.Unhealthy("The schema could not be read: " + e.GetType().Name);
            }
        }
    }
}
