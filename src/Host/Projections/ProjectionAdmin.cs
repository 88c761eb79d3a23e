using BuildingBlocks.Postgres;
using BuildingBlocks.Tenancy;
using BuildingBlocks.Telemetry;
using JasperFx.Events.Projections;
using Marten;

namespace Host.Projections;

/// <param name="Lifecycle"><c>inline</c> (written with the events) or <c>async</c> (by the daemon).</param>
/// <param name="State">
/// <c>current</c> for an inline projection; for an asynchronous one the daemon's agent state on this node
/// (<c>running</c>, <c>stopped</c>, <c>paused</c>), or <c>elsewhere</c> when another node runs it;
/// <c>rebuilding</c> while a rebuild runs here.
/// </param>
/// <param name="Position">The last event it has processed.</param>
/// <param name="HighWaterMark">The event store's last event.</param>
/// <param name="Lag">Events it has still to process.</param>
public sealed record ProjectionView(string Name, string Lifecycle, string State, long Position, long HighWaterMark, long Lag);

/// <param name="Mode"><c>HotCold</c>, <c>Solo</c> or <c>Disabled</c> (<c>Projections:Daemon</c>).</param>
/// <param name="RunsHere">Whether this node runs the asynchronous projections, and so may rebuild.</param>
public sealed record DaemonView(string Mode, bool RunsHere, string? Reason);

public sealed record ProjectionList(DaemonView Daemon, IReadOnlyList<ProjectionView> Projections);

/// <summary><c>/admin/projections</c> (operator token): what every projection is doing, and rebuilds.</summary>
public static class ProjectionAdmin
{
    public static void AddProjectionAdmin(this IServiceCollection services) =>
        services.AddServiceDatabase().AddSingleton<ProjectionRebuilds>().AddHostedService<ProjectionLagMonitor>();

    public static void ConfigureMarten(StoreOptions options) => options.Schema.For<ProjectionRebuild>().SingleTenanted();

    public static void MapProjectionAdmin(this WebApplication app)
    {
        var admin = app.MapGroup("/admin/projections").RequireAuthorization(Auth.Operator).WithTags("Admin");
        admin.MapGet("", async (ProjectionRebuilds rebuilds, IDocumentStore store, IConfiguration configuration, CancellationToken ct) =>
            TypedResults.Ok(await ListAsync(rebuilds, store, configuration, ct)))
            .WithSummary("Every projection with its lifecycle, position, the store's high-water mark and lag.");
        admin.MapPost("{name}/rebuild", RebuildAsync)
            .WithSummary("Rebuilds a projection for every tenant, or one with ?tenant=; 202 with the status resource in Location.");
        admin.MapGet("rebuilds/{id:guid}", async Task<IResult> (Guid id, ProjectionRebuilds rebuilds, CancellationToken ct) =>
            await rebuilds.FindRebuildAsync(id, ct) is { } rebuild ? TypedResults.Ok(rebuild) : TypedResults.NotFound())
            .WithSummary("A rebuild's state (running, done, failed), events processed of total, percent, elapsed time and error.");
    }

    public static async Task<ProjectionList> ListAsync(ProjectionRebuilds rebuilds, IDocumentStore store, IConfiguration configuration, CancellationToken ct)
    {
        var whyNot = rebuilds.WhyNotHere();
        var daemon = whyNot is null ? rebuilds.Daemon : null;
        var last = await rebuilds.LastSequenceAsync(ct);
        var progress = (await store.Advanced.AllProjectionProgress(token: ct)).ToDictionary(s => s.ShardName, s => s.Sequence);
        var views = rebuilds.All.Select(source =>
        {
            if (source.Lifecycle != ProjectionLifecycle.Async)
                return new ProjectionView(source.Name, "inline", rebuilds.IsRunning(source.Name) ? "rebuilding" : "current", last, last, 0);
            var shard = source.ShardNames()[0].Identity;
            var position = progress.GetValueOrDefault(shard);
            var state = rebuilds.IsRunning(source.Name) ? "rebuilding"
                : daemon is null ? "elsewhere"
                : daemon.StatusFor(shard).ToString().ToLowerInvariant();
            return new ProjectionView(source.Name, "async", state, position, last, Math.Max(0, last - position));
        }).ToList();
        return new ProjectionList(new DaemonView(ProjectionDaemon.Mode(configuration).ToString(), whyNot is null, whyNot), views);
    }

    private static async Task<IResult> RebuildAsync(
        string name, string? tenant, ProjectionRebuilds rebuilds, ITenantDirectory tenants, CancellationToken ct)
    {
        var source = rebuilds.Find(name);
        if (source is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown projection",
                detail: $"\"{name}\" is not a projection. Projections: {string.Join(", ", rebuilds.All.Select(p => p.Name))}.",
                extensions: new Dictionary<string, object?> { ["projections"] = rebuilds.All.Select(p => p.Name).ToArray() });
        if (tenant is not null && !await tenants.ExistsAsync(tenant, ct))
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown tenant", detail: $"There is no tenant \"{tenant}\".");
        if (rebuilds.WhyNotHere() is { } whyNot)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not the daemon's node", detail: whyNot);

        var rebuild = await rebuilds.StartAsync(source, tenant, ct);
        if (rebuild is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already rebuilding",
                detail: $"A rebuild of {source.Name} is running; its status is under /admin/projections/rebuilds/.");
        return TypedResults.Accepted($"/admin/projections/rebuilds/{rebuild.Id}", rebuild);
    }
}

/// <summary>Publishes each projection's lag as the gauge <c>envycrm.projections.lag</c>, read every few seconds.</summary>
public sealed class ProjectionLagMonitor(ProjectionRebuilds rebuilds, IDocumentStore store, IConfiguration configuration, ILogger<ProjectionLagMonitor> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromSeconds(configuration.GetValue("Projections:LagSeconds", 10.0));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var list = await ProjectionAdmin.ListAsync(rebuilds, store, configuration, stoppingToken);
                ServiceMetrics.ProjectionLags = list.Projections.ToDictionary(p => p.Name, p => p.Lag);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogDebug(e, "Could not read the projections' lag");
            }
            try
            {
                await Task.Delay(every, stoppingToken);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
