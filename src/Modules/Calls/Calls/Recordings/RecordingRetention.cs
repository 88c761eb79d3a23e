using BuildingBlocks.Tenancy;
using Calls.CallHistory;
using Marten;
using Marten.Linq.MatchesSql;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wolverine.Http;

namespace Calls.Recordings;

/// <summary>How long the tenant keeps archived recordings; null: forever (the default).</summary>
public sealed record RecordingSettings(int? RetentionDays) : Marten.Metadata.ITenanted
{
    public const string DocumentId = "recordings";
    public string Id { get; init; } = DocumentId;
    /// <summary>Filled by Marten; lets the clean-up list every tenant's setting in one query.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? TenantId { get; set; }
}

public sealed record PutRecordingSettings(int? RetentionDays);

public static class RecordingSettingsEndpoint
{
    [WolverinePut("/api/settings/recordings"), Authorize(Policy = Auth.Admin), Microsoft.AspNetCore.Mvc.ProducesResponseType<RecordingSettings>(200)]
    public static async Task<IResult> Put(PutRecordingSettings request, IDocumentSession session)
    {
        if (request.RetentionDays is < 0 or > 36_500)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["retentionDays"] = ["Days to keep archived recordings, 0 to 36500, or null to keep them forever."],
            });
        var settings = new RecordingSettings(request.RetentionDays);
        session.Store(settings);
        await session.SaveChangesAsync();
        return TypedResults.Ok(settings);
    }

    [WolverineGet("/api/settings/recordings"), Authorize(Policy = Auth.Admin)]
    public static async Task<RecordingSettings> Get(IQuerySession session) =>
        await session.LoadAsync<RecordingSettings>(RecordingSettings.DocumentId) ?? new RecordingSettings(null);
}

/// <summary>
/// Once a day (<c>Recordings:CleanupIntervalHours</c>), removes archived recordings older than each
/// tenant's retention and records <c>CallRecordingDeleted</c>. A file is kept while another archived
/// recording (of any tenant) has the same content. Also removes partial downloads a crash left.
/// </summary>
public sealed class RecordingRetention(IDocumentStore store, IRecordingStore files, IConfiguration configuration, TimeProvider clock,
    ILogger<RecordingRetention> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(configuration.GetValue("Recordings:CleanupIntervalHours", 24.0)));
        do
        {
            try
            {
                await RunOnceAsync(stopping);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                logger.LogWarning(e, "The recordings clean-up failed; it runs again at the next interval");
            }
        }
        while (await timer.WaitForNextTickAsync(stopping));
    }

    /// <summary>One clean-up pass over every tenant that has a retention; the number of recordings removed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        IReadOnlyList<(string Tenant, int Days)> tenants;
        await using (var all = store.QuerySession())
            tenants = (await all.Query<RecordingSettings>().Where(s => s.AnyTenant() && s.RetentionDays != null).ToListAsync(ct))
                .Select(s => (s.TenantId!, s.RetentionDays!.Value)).ToList();
        // Downloads time out after minutes: a temporary file an hour old was left by a crash.
        if (files.RemoveAbandoned(TimeSpan.FromHours(1)) is > 0 and var abandoned)
            logger.LogInformation("Removed {Count} partial downloads left by an earlier crash", abandoned);
        var removed = 0;
        foreach (var (tenant, days) in tenants)
        {
            var cutoff = clock.GetUtcNow().AddDays(-days);
            await using var session = store.QuerySession(tenant);
            var archived = await session.Query<CallHistoryEntry>()
                .Where(c => c.MatchesSql("d.data -> 'Recordings' @> ?::jsonb", """[{"Status":"archived"}]""")).ToListAsync(ct);
            foreach (var (call, recording) in archived.SelectMany(c => c.Recordings.Where(r => r.Status == RecordingStatus.Archived && r.ArchivedAt <= cutoff)
                         .Select(r => (c, r))))
            {
                await CallStreamWrites.AppendAsync(store, tenant, call.Id,
                    new CallRecordingDeleted(call.Id, recording.N, $"retention of {days} days", clock.GetUtcNow()), ct);
                if (recording.Sha256 is { } sha256 && !await StillArchivedAsync(sha256, ct)) await files.DeleteAsync(sha256);
                removed++;
            }
        }
        if (removed > 0) logger.LogInformation("Recordings clean-up removed {Count} archived recordings", removed);
        return removed;
    }

    private async Task<bool> StillArchivedAsync(string sha256, CancellationToken ct)
    {
        await using var all = store.QuerySession();
        var holder = System.Text.Json.JsonSerializer.Serialize(new[] { new { Sha256 = sha256, Status = RecordingStatus.Archived } });
        return await all.Query<CallHistoryEntry>().Where(c => c.AnyTenant() && c.MatchesSql("d.data -> 'Recordings' @> ?::jsonb", holder)).AnyAsync(ct);
    }
}
