using System.Collections.Concurrent;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Npgsql;

namespace Host.Projections;

/// <summary>
/// Rebuilds a projection while the service runs (ADR 12). Every tenant: Marten's daemon replays the
/// store, an asynchronous projection is started again afterwards (the daemon leaves it stopped), and
/// for an inline one the streams written during the rebuild are replayed once more at the end. One
/// tenant: its documents are deleted and its events replayed through the projection here, the
/// asynchronous projection held still meanwhile. Only the node that runs the daemon rebuilds.
/// </summary>
public sealed class ProjectionRebuilds(
    IDocumentStore store, NpgsqlDataSource database, IServiceProvider services, IConfiguration configuration, TimeProvider clock,
    IHostApplicationLifetime lifetime, ILogger<ProjectionRebuilds> logger)
{
    private const int PageSize = 2000;
    private const int CatchUpPasses = 10;
    private static readonly TimeSpan BetweenPasses = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan SaveEvery = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, Guid> _running = new(StringComparer.OrdinalIgnoreCase);

    private StoreOptions Options => (StoreOptions)store.Options;
    private string EventsTable => $"{Options.Events.DatabaseSchemaName}.mt_events";

    public IReadOnlyList<IProjectionSource<IDocumentOperations, IQuerySession>> All => Options.Projections.All;

    public IProjectionSource<IDocumentOperations, IQuerySession>? Find(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    public IProjectionDaemon? Daemon =>
        ProjectionDaemon.Mode(configuration) == DaemonMode.Disabled
            ? null
            : services.GetService<Marten.Events.Daemon.Coordination.IProjectionCoordinator>()?.DaemonForMainDatabase();

    /// <summary>Null when this node may rebuild; otherwise why not.</summary>
    public string? WhyNotHere()
    {
        if (ProjectionDaemon.Mode(configuration) == DaemonMode.Disabled)
            return "The projection daemon is switched off on this node (Projections:Daemon = Disabled): rebuild on the node that runs it.";
        var daemon = Daemon;
        if (daemon is null) return "This node has no projection daemon.";
        if (Options.Projections.HasAnyAsyncProjections() && daemon.CurrentAgents().Count == 0)
            return "Another node runs the projection daemon (this one is on stand-by): rebuild there. GET /admin/projections on each node shows daemonRunsHere.";
        return null;
    }

    public bool IsRunning(string name) => _running.ContainsKey(name);

    /// <summary>Starts the rebuild in the background; null when one of this projection is already running here.</summary>
    public async Task<ProjectionRebuild?> StartAsync(IProjectionSource<IDocumentOperations, IQuerySession> source, string? tenant, CancellationToken ct)
    {
        var rebuild = new ProjectionRebuild
        {
            Id = Guid.NewGuid(), Projection = source.Name, Tenant = tenant, StartedAt = clock.GetUtcNow(), UpdatedAt = clock.GetUtcNow(),
            Node = Environment.MachineName,
        };
        if (!_running.TryAdd(source.Name, rebuild.Id)) return null;
        try
        {
            await SaveAsync(rebuild, ct);
        }
        catch
        {
            _running.TryRemove(source.Name, out _);
            throw;
        }
        _ = Task.Run(() => RunAsync(source, rebuild, lifetime.ApplicationStopping));
        return rebuild;
    }

    public async Task<ProjectionRebuild?> FindRebuildAsync(Guid id, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<ProjectionRebuild>(id, ct);
    }

    private async Task RunAsync(IProjectionSource<IDocumentOperations, IQuerySession> source, ProjectionRebuild rebuild, CancellationToken ct)
    {
        using var saving = new CancellationTokenSource();
        var saver = SaveWhileRunningAsync(rebuild, saving.Token);
        try
        {
            logger.LogInformation("Rebuilding projection {Projection} for {Tenant}", rebuild.Projection, rebuild.Tenant ?? "every tenant");
            if (rebuild.Tenant is null) await RebuildEveryTenantAsync(source, rebuild, ct);
            else await RebuildOneTenantAsync(source, rebuild.Tenant, rebuild, ct);
            rebuild.State = ProjectionRebuild.Done;
            logger.LogInformation("Rebuilt projection {Projection} for {Tenant}: {Events} events in {Seconds} s",
                rebuild.Projection, rebuild.Tenant ?? "every tenant", rebuild.Processed, rebuild.ElapsedSeconds);
        }
        catch (Exception e)
        {
            rebuild.State = ProjectionRebuild.Failed;
            rebuild.Error = ct.IsCancellationRequested ? "The node stopped during the rebuild." : $"{e.GetType().Name}: {e.Message}";
            logger.LogError(e, "Rebuilding projection {Projection} failed", rebuild.Projection);
        }
        finally
        {
            await saving.CancelAsync();
            await saver;
            rebuild.FinishedAt = rebuild.UpdatedAt = clock.GetUtcNow();
            try
            {
                await SaveAsync(rebuild, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Could not store the end of the rebuild of {Projection}", rebuild.Projection);
            }
            _running.TryRemove(rebuild.Projection, out _);
        }
    }

    private async Task RebuildEveryTenantAsync(IProjectionSource<IDocumentOperations, IQuerySession> source, ProjectionRebuild rebuild, CancellationToken ct)
    {
        var daemon = Daemon ?? throw new InvalidOperationException(WhyNotHere());
        var startedAt = await LastSequenceAsync(ct);
        rebuild.Total = startedAt;
        using var progress = daemon.Tracker.Subscribe(new ShardProgress(source.Name, sequence => rebuild.Processed = Math.Max(rebuild.Processed, sequence)));
        await daemon.RebuildProjectionAsync(source.Name, TimeSpan.FromHours(6), ct);
        rebuild.Processed = Math.Max(rebuild.Processed, rebuild.Total);
        if (source.Lifecycle == ProjectionLifecycle.Async)
            foreach (var shard in source.ShardNames())
                await daemon.StartAgentAsync(shard.Identity, ct);
        else
            rebuild.StreamsCaughtUp = await CatchUpStreamsAsync(source, startedAt, await LastSequenceAsync(ct), tenant: null, ct);
    }

    private async Task RebuildOneTenantAsync(IProjectionSource<IDocumentOperations, IQuerySession> source, string tenant, ProjectionRebuild rebuild, CancellationToken ct)
    {
        var daemon = Daemon ?? throw new InvalidOperationException(WhyNotHere());
        var async = source.Lifecycle == ProjectionLifecycle.Async;
        long ceiling;
        if (async)
        {
            // Held still, so that the replay below and the agent never write the same document; it
            // resumes from where it stopped, which is exactly where the replay ends.
            foreach (var shard in source.ShardNames()) await daemon.StopAgentAsync(shard.Identity);
            ceiling = await store.Advanced.ProjectionProgressFor(source.ShardNames()[0], token: ct);
        }
        else ceiling = await LastSequenceAsync(ct);

        try
        {
            rebuild.Total = await CountEventsAsync(tenant, ceiling, ct);
            await DeleteDocumentsAsync(source, tenant, streamIds: null, ct);
            var after = 0L;
            while (true)
            {
                await using var session = store.LightweightSession(tenant);
                var events = await session.Events.QueryAllRawEvents()
                    .Where(e => e.Sequence > after && e.Sequence <= ceiling)
                    .OrderBy(e => e.Sequence).Take(PageSize).ToListAsync(ct);
                if (events.Count == 0) break;
                await ApplyAsync(source, session, events, ct);
                await session.SaveChangesAsync(ct);
                after = events[^1].Sequence;
                rebuild.Processed += events.Count;
            }
        }
        finally
        {
            if (async)
                foreach (var shard in source.ShardNames())
                    await daemon.StartAgentAsync(shard.Identity, CancellationToken.None);
        }
        if (!async) rebuild.StreamsCaughtUp = await CatchUpStreamsAsync(source, ceiling, await LastSequenceAsync(ct), tenant, ct);
    }

    /// <summary>
    /// An inline projection is written by every append, also while it is being rebuilt, onto a
    /// document the rebuild had not reached yet. Each stream written while the rebuild ran (an event
    /// after <paramref name="since"/>, one at or before <paramref name="until"/>) is replayed again from
    /// its first event; then again each of them written to meanwhile, until a pass finds none (a
    /// transaction still in flight commits later, so passes look back to <paramref name="since"/>).
    /// Streams begun after the rebuild ended were written whole by the inline projection. Our inline
    /// projections are single-stream: a document's id is its stream's id.
    /// </summary>
    private async Task<int> CatchUpStreamsAsync(
        IProjectionSource<IDocumentOperations, IQuerySession> source, long since, long until, string? tenant, CancellationToken ct)
    {
        var replayedAt = new Dictionary<(string Tenant, Guid StreamId), long>();
        for (var pass = 0; pass < CatchUpPasses; pass++)
        {
            if (pass > 0) await Task.Delay(BetweenPasses, clock, ct);
            var changed = (await StreamsWrittenAsync(since, until, tenant, ct))
                .Where(s => s.Version > replayedAt.GetValueOrDefault((s.Tenant, s.StreamId))).ToList();
            if (changed.Count == 0) break;
            foreach (var group in changed.GroupBy(s => s.Tenant))
            {
                var ids = group.Select(s => s.StreamId).ToArray();
                await DeleteDocumentsAsync(source, group.Key, ids, ct);
                await using var session = store.LightweightSession(group.Key);
                var events = new List<IEvent>();
                foreach (var id in ids)
                {
                    var stream = await session.Events.FetchStreamAsync(id, token: ct);
                    events.AddRange(stream);
                    if (stream.Count > 0) replayedAt[(group.Key, id)] = stream[^1].Version;
                }
                await ApplyAsync(source, session, events, ct);
                await session.SaveChangesAsync(ct);
            }
        }
        return replayedAt.Count;
    }

    private static Task ApplyAsync(IProjectionSource<IDocumentOperations, IQuerySession> source, IDocumentSession session, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        // A stream replayed from its first event starts from nothing; one continued from an earlier page
        // starts from the document that page stored.
        var actions = events.GroupBy(e => e.StreamId).Select(g =>
        {
            var action = new StreamAction(g.Key, g.First().Version == 1 ? StreamActionType.Start : StreamActionType.Append);
            action.AddEvents(g.ToList());
            action.TenantId = session.TenantId;
            return action;
        }).ToList();
        return source.BuildForInline().ApplyAsync(session, actions, ct);
    }

    private async Task DeleteDocumentsAsync(IProjectionSource<IDocumentOperations, IQuerySession> source, string tenant, Guid[]? streamIds, CancellationToken ct)
    {
        await using var session = store.LightweightSession(tenant);
        foreach (var type in source.PublishedTypes())
        {
            var table = store.Options.FindOrResolveDocumentType(type).TableName.QualifiedName;
            if (streamIds is null) session.QueueSqlCommand($"delete from {table} where tenant_id = ?", tenant);
            else session.QueueSqlCommand($"delete from {table} where tenant_id = ? and id = any(?)", tenant, streamIds);
        }
        await session.SaveChangesAsync(ct);
    }

    public async Task<long> LastSequenceAsync(CancellationToken ct)
    {
        await using var command = database.CreateCommand($"select coalesce(max(seq_id), 0) from {EventsTable}");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private async Task<long> CountEventsAsync(string tenant, long ceiling, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"select count(*) from {EventsTable} where tenant_id = $1 and seq_id <= $2");
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(ceiling);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Streams with an event after <paramref name="after"/> and one at or before <paramref name="until"/>, with their last version.</summary>
    private async Task<List<(string Tenant, Guid StreamId, long Version)>> StreamsWrittenAsync(long after, long until, string? tenant, CancellationToken ct)
    {
        await using var command = database.CreateCommand(
            $"select tenant_id, stream_id, max(version) from {EventsTable} where seq_id > $1 and ($3::text is null or tenant_id = $3) " +
            $"group by tenant_id, stream_id having min(seq_id) <= $2");
        command.Parameters.AddWithValue(after);
        command.Parameters.AddWithValue(until);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)tenant ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var streams = new List<(string, Guid, long)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) streams.Add((reader.GetString(0), reader.GetGuid(1), reader.GetInt64(2)));
        return streams;
    }

    private async Task SaveWhileRunningAsync(ProjectionRebuild rebuild, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(SaveEvery, clock, ct);
                rebuild.UpdatedAt = clock.GetUtcNow();
                await SaveAsync(rebuild, ct);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not store the progress of the rebuild of {Projection}", rebuild.Projection);
        }
    }

    private async Task SaveAsync(ProjectionRebuild rebuild, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.Store(rebuild);
        await session.SaveChangesAsync(ct);
    }

    /// <summary>The daemon's progress through the projection's shards while it rebuilds.</summary>
    private sealed class ShardProgress(string projection, Action<long> reached) : IObserver<ShardState>
    {
        public void OnNext(ShardState value)
        {
            if (value.ShardName.StartsWith(projection + ":", StringComparison.OrdinalIgnoreCase)) reached(value.Sequence);
        }

        public void OnCompleted() { }
        public void OnError(Exception error) { }
    }
}
