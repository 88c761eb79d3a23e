using Leads.Contracts;
using Marten;
using Routing.Contracts;

namespace Calls.CallHistory;

/// <summary>
/// What other modules know of each call, joined when the history is read: the card Leads linked
/// it to, and Routing's latest decision for its UIS session. One round trip per page.
/// </summary>
public static class CallCards
{
    public static async Task<IReadOnlyList<CallHistoryEntry>> FillAsync(IReadOnlyList<CallHistoryEntry> entries, IQuerySession session, CancellationToken ct)
    {
        if (entries.Count == 0) return entries;
        var batch = session.CreateBatchQuery();
        var links = batch.LoadMany<LinkedCall>().ById(entries.Select(e => e.Id).ToArray());
        var routings = batch.LoadMany<CallRouting>().ById(entries.Select(e => e.UisCallSessionId).ToArray());
        await batch.Execute(ct);
        var clients = (await links).ToDictionary(l => l.Id, l => l.ClientId);
        var routed = (await routings).ToDictionary(r => r.Id);
        foreach (var entry in entries)
        {
            entry.ClientId = clients.GetValueOrDefault(entry.Id);
            entry.Routing = routed.TryGetValue(entry.UisCallSessionId, out var r) ? new CallRoutingView(r.Outcome, r.EmployeeId, r.Reason) : null;
        }
        return entries;
    }
}
