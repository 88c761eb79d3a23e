namespace Calls.Contracts;

/// <summary>A call's recording as other modules show it: number, status, and the playback URL (never UIS's link).</summary>
public sealed record CallRecording(int N, string Status, int? DurationSeconds, string Url);

/// <summary>The recordings of calls, read from Calls' history in the caller's (tenant's) session.</summary>
public interface ICallRecordings
{
    Task<IReadOnlyDictionary<Guid, IReadOnlyList<CallRecording>>> ForCallsAsync(Marten.IQuerySession session, IReadOnlyCollection<Guid> callIds,
        CancellationToken ct);
}
