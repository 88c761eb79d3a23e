using Leads.Contracts;
using Marten;

namespace Calls.CallHistory;

/// <summary>The card each call belongs to, as Leads recorded it: joined when the history is read.</summary>
public static class CallCards
{
    public static async Task<IReadOnlyList<CallHistoryEntry>> FillAsync(IReadOnlyList<CallHistoryEntry> entries, IQuerySession session, CancellationToken ct)
    {
        if (entries.Count == 0) return entries;
        var links = (await session.LoadManyAsync<LinkedCall>(ct, entries.Select(e => e.Id))).ToDictionary(l => l.Id, l => l.ClientId);
        foreach (var entry in entries) entry.ClientId = links.GetValueOrDefault(entry.Id);
        return entries;
    }
}
