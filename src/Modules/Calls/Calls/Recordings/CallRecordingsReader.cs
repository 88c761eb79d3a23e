using Calls.CallHistory;
using Calls.Contracts;
using Marten;

namespace Calls.Recordings;

public sealed class CallRecordingsReader : ICallRecordings
{
    public async Task<IReadOnlyDictionary<Guid, IReadOnlyList<CallRecording>>> ForCallsAsync(IQuerySession session, IReadOnlyCollection<Guid> callIds,
        CancellationToken ct)
    {
        if (callIds.Count == 0) return new Dictionary<Guid, IReadOnlyList<CallRecording>>();
        var entries = await session.LoadManyAsync<CallHistoryEntry>(ct, callIds.Distinct());
        return entries.ToDictionary(e => e.Id,
            e => (IReadOnlyList<CallRecording>)e.Recordings.Select(r => new CallRecording(r.N, r.Status, r.DurationSeconds, r.Url)).ToList());
    }
}
