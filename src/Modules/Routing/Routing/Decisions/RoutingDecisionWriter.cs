using System.Net.Sockets;
using System.Threading.Channels;
using JasperFx;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Routing.Contracts;

namespace Routing.Decisions;

/// <summary>A decision to store: its event on the call's routing stream and, with a UIS session, the session's latest decision.</summary>
public sealed record DecisionToStore(string Tenant, Guid RoutingId, object Event, CallRouting? Latest);

/// <summary>
/// Stores routing decisions after UIS has had its answer (ADR 9): the request hands the decision
/// over and answers; this writer commits whatever has queued up, per tenant, in one transaction.
/// A database that is away is waited for (the decisions stay queued, up to a limit); on shutdown
/// the queue is drained before the host stops.
/// </summary>
public sealed class RoutingDecisionWriter(IDocumentStore store, IConfiguration configuration, ILogger<RoutingDecisionWriter> logger)
    : BackgroundService
{
    public const int MaxBatch = 500;

    private readonly int _maxQueued = configuration.GetValue("Routing:MaxQueuedDecisions", 1_000_000);

    /// <summary>
    /// How long the first decision of a batch waits for others: nobody waits for the commit, so
    /// fewer, larger commits leave more of the CPU to the requests (docs/benchmarks.md).
    /// </summary>
    private readonly TimeSpan _gathering = TimeSpan.FromMilliseconds(configuration.GetValue("Routing:DecisionBatchMilliseconds", 50));
    private readonly Channel<DecisionToStore> _queue = Channel.CreateUnbounded<DecisionToStore>(new() { SingleReader = true });
    private int _queued;

    /// <summary>Decisions handed over and not yet committed.</summary>
    public int Queued => Volatile.Read(ref _queued);

    public void Store(DecisionToStore decision)
    {
        if (Interlocked.Increment(ref _queued) > _maxQueued || !_queue.Writer.TryWrite(decision))
        {
            Interlocked.Decrement(ref _queued);
            logger.LogError("Routing decision {RoutingId} of {Tenant} not stored: {Queued} decisions are waiting for the database or the service is stopping",
                decision.RoutingId, decision.Tenant, Queued);
        }
    }

    public override async Task StopAsync(CancellationToken ct)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(ct);
        if (Queued > 0) logger.LogError("{Queued} routing decisions were not stored before the service stopped", Queued);
    }

    // Reads until the queue is completed, not until stopping: what was decided before the stop is stored.
    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var batch = new List<DecisionToStore>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            if (!stopping.IsCancellationRequested && _gathering > TimeSpan.Zero) await Task.Delay(_gathering, CancellationToken.None);
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var decision)) batch.Add(decision);
            foreach (var tenant in batch.GroupBy(d => d.Tenant))
                await StoreWithRetriesAsync(tenant.Key, tenant.ToList(), stopping);
            Interlocked.Add(ref _queued, -batch.Count);
        }
    }

    private async Task StoreWithRetriesAsync(string tenant, IReadOnlyList<DecisionToStore> decisions, CancellationToken stopping)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await WriteAsync(tenant, decisions);
                return;
            }
            catch (Exception e) when (MayPassOnRetry(e) && !stopping.IsCancellationRequested)
            {
                logger.LogWarning(e, "Storing {Count} routing decisions of {Tenant} failed (attempt {Attempt}); trying again", decisions.Count, tenant, attempt);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5_000, 50 * Math.Pow(2, attempt))), stopping);
                }
                catch (OperationCanceledException)
                {
                    // Stopping: one more attempt right away, then give up.
                }
            }
            catch (Exception e) when (decisions.Count > 1)
            {
                logger.LogWarning(e, "Storing {Count} routing decisions of {Tenant} together failed; storing them one by one", decisions.Count, tenant);
                foreach (var decision in decisions) await StoreWithRetriesAsync(tenant, [decision], stopping);
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Routing decision {RoutingId} of {Tenant} not stored: {Decision}", decisions[0].RoutingId, tenant, decisions[0].Event);
                return;
            }
        }
    }

    private async Task WriteAsync(string tenant, IReadOnlyList<DecisionToStore> decisions)
    {
        await using var session = store.LightweightSession(tenant);
        foreach (var decision in decisions)
        {
            session.Events.Append(decision.RoutingId, decision.Event);
            if (decision.Latest is { } latest) session.Store(latest);
        }
        await session.SaveChangesAsync();
    }

    /// <summary>The database being away, or another node appending to the same routing stream at that moment.</summary>
    private static bool MayPassOnRetry(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (inner is NpgsqlException { IsTransient: true } or SocketException or TimeoutException or ConcurrencyException) return true;
        return false;
    }
}
