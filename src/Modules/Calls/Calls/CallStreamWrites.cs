using Marten;

namespace Calls;

/// <summary>
/// Writes to a call's stream from outside the notification writer (archive outcomes, retention,
/// click-to-call): at the version read, so two writers cannot each update the history row from the
/// same old state; the one that loses the race reads again and writes again.
/// </summary>
public static class CallStreamWrites
{
    public const int MaxAttempts = 20;

    /// <summary>Appends one event to the call's stream at the version read.</summary>
    public static Task AppendAsync(IDocumentStore documents, string tenant, Guid callId, object @event, CancellationToken ct = default) =>
        RetryingAsync(async () =>
        {
            await using var session = documents.LightweightSession(tenant);
            var stream = await session.Events.FetchForWriting<Call>(callId, ct);
            stream.AppendOne(@event);
            await session.SaveChangesAsync(ct);
        });

    /// <summary>Runs a write (one session, one commit) again while it loses races for the stream's next version.</summary>
    public static async Task RetryingAsync(Func<Task> write)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await write();
                return;
            }
            catch (Exception e) when (attempt < MaxAttempts && LostTheRace(e))
            {
                await Task.Delay(Random.Shared.Next(5, 20 * Math.Min(attempt, 10)));
            }
        }
    }

    /// <summary>Another transaction took the stream's next version, or started the stream, first (quick append reports a unique violation).</summary>
    public static bool LostTheRace(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (inner is JasperFx.ConcurrencyException or Marten.Exceptions.ExistingStreamIdCollisionException
                or Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
                return true;
        return false;
    }
}
