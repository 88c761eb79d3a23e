using System.Threading.Channels;
using Calls.CallHistory;
using Integration.Contracts;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Calls.Contracts;
using Wolverine;
using Wolverine.Marten.Publishing;
using Wolverine.Runtime;

namespace Calls.Uis;

/// <summary>
/// Group commit for UIS notifications. Notifications that arrive while a write is under way are
/// decided and stored together: one read of their streams, one append, one commit. Each caller
/// is answered only when its events are committed. A batch that loses a race with another node
/// (or fails in any way) falls back to the one-by-one Wolverine handlers, which retry.
/// </summary>
public sealed class CallNotificationWriter(
    OutboxedSessionFactory sessions, IWolverineRuntime runtime, IServiceScopeFactory scopes, IConfiguration configuration, ILogger<CallNotificationWriter> logger) : BackgroundService
{
    public const int MaxBatch = 64;

    /// <summary>
    /// Batches in flight at once. Two on 2 cores (docs/benchmarks.md): one was fastest until each
    /// batch also cost Wolverine's inbox a commit of its own; a second loop keeps the disk busy meanwhile.
    /// </summary>
    private readonly int _writers = configuration.GetValue("Uis:NotificationWriters", 2);

    private sealed record Pending(string Tenant, ICallCommand Command, TaskCompletionSource Stored);

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();

    public Task RecordAsync(string tenant, ICallCommand command)
    {
        var pending = new Pending(tenant, command, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending)) pending.Stored.SetException(new OperationCanceledException("The service is stopping."));
        return pending.Stored.Task;
    }

    protected override Task ExecuteAsync(CancellationToken stopping) =>
        Task.WhenAll(Enumerable.Range(0, _writers).Select(_ => WriteLoopAsync(stopping)));

    public override async Task StopAsync(CancellationToken ct)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(ct);
    }

    private async Task WriteLoopAsync(CancellationToken stopping)
    {
        var batch = new List<Pending>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stopping))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending)) batch.Add(pending);
                foreach (var tenant in batch.GroupBy(p => p.Tenant))
                    await WriteAsync(tenant.Key, tenant.ToList());
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            while (_queue.Reader.TryRead(out var pending)) pending.Stored.TrySetCanceled();
        }
    }

    private async Task WriteAsync(string tenant, List<Pending> batch)
    {
        try
        {
            // The session is enlisted in Wolverine's outbox: what other modules hear of the batch is
            // stored in the same transaction as its events and handed to a durable local queue after the commit.
            var messages = new MessageContext(runtime) { TenantId = tenant };
            await using var session = sessions.OpenSession(messages, tenant);
            // The history rows read here stay in the session, so the inline projection finds them
            // instead of querying them again inside SaveChanges: one round trip less per batch.
            session.UseIdentityMapFor<CallHistoryEntry>();
            var query = session.CreateBatchQuery();
            var ids = batch.Select(p => p.Command.CallId).Distinct().ToArray();
            var streams = ids.ToDictionary(id => id, id => query.Events.FetchForWriting<Call>(id));
            _ = query.LoadMany<CallHistoryEntry>().ById(ids);
            var numbers = batch.Select(p => p.Command.Facts.Employee.Normalized).OfType<string>().Distinct().ToArray();
            var directory = numbers.Length > 0 ? query.LoadMany<EmployeePhone>().ById(numbers) : null;
            await query.Execute();
            var employees = directory is null ? new Dictionary<string, int>() : (await directory).ToDictionary(e => e.Id, e => e.EmployeeId);

            var changes = new List<CallChange>();
            var archives = new List<Recordings.ArchiveRecording>();
            foreach (var commands in batch.GroupBy(p => p.Command.CallId))
            {
                var stream = await streams[commands.Key];
                var call = stream.Aggregate;
                var added = new List<object>();
                foreach (var pending in commands)
                {
                    var facts = EmployeeMatch.Complete(pending.Command.Facts, employees);
                    foreach (var @event in ICallCommand.Decide(pending.Command, facts, call))
                    {
                        call = Call.Advance(call, @event);
                        added.Add(@event);
                    }
                }
                stream.AppendMany(added);
                if (Call.Change(stream.Aggregate, call, added) is { } change) changes.Add(change);
                archives.AddRange(Call.RecordingsToArchive(stream.Aggregate, added));
            }
            if (changes.Count > 0) await messages.PublishAsync(new CallActivity(changes));
            foreach (var archive in archives) await messages.PublishAsync(archive);
            await session.SaveChangesAsync();
            await messages.FlushOutgoingMessagesAsync();
            foreach (var pending in batch) pending.Stored.TrySetResult();
        }
        catch (Exception e)
        {
            // A lost race with another writer is expected and cheap to resolve; anything else is worth a look.
            var raced = e is JasperFx.ConcurrencyException or Marten.Exceptions.ExistingStreamIdCollisionException;
            logger.Log(raced ? LogLevel.Debug : LogLevel.Warning, e,
                "A batch of {Count} UIS notifications for tenant {Tenant} is written one by one instead", batch.Count, tenant);
            await WriteOneByOneAsync(tenant, batch);
        }
    }

    private async Task WriteOneByOneAsync(string tenant, List<Pending> batch)
    {
        await using var scope = scopes.CreateAsyncScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        foreach (var pending in batch)
        {
            try
            {
                await bus.InvokeForTenantAsync(tenant, pending.Command);
                pending.Stored.TrySetResult();
            }
            catch (Exception e)
            {
                pending.Stored.TrySetException(e);
            }
        }
    }
}
