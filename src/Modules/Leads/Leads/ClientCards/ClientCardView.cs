using Calls.Contracts;
using Integration.Contracts;
using Marten;

namespace Leads.ClientCards;

public sealed record PersonalManagerView(int EmployeeId, string? FullName);

/// <summary>The client card as the API answers it.</summary>
/// <summary>A recent call on the card, with its recordings (number, status, playback URL).</summary>
public sealed record RecentCallView(Guid CallId, string? Direction, string Status, DateTimeOffset At, IReadOnlyList<CallRecording> Recordings);

public sealed record ClientCardView(
    Guid Id, string Kind, string? Name, IReadOnlyList<string> Phones, PersonalManagerView? PersonalManager,
    DateTimeOffset FirstContactAt, string? Source, CardCall? LastCall, int CallCount, int MissedCount, IReadOnlyList<RecentCallView> RecentCalls)
{
    public static async Task<IReadOnlyList<ClientCardView>> FromAsync(IReadOnlyList<ClientCard> cards, IQuerySession session, ICallRecordings recordings,
        CancellationToken ct)
    {
        var managers = await ManagerNamesAsync(cards, session, ct);
        // The recordings are Calls' facts: joined when the card is read, so a recording archived later shows at once.
        var recorded = await recordings.ForCallsAsync(session, cards.SelectMany(c => c.RecentCalls).Select(c => c.CallId).ToList(), ct);
        return cards.Select(card => new ClientCardView(card.Id, card.Kind, card.Name, card.Phones, Manager(card, managers),
            card.FirstContactAt, card.Source, card.LastCall, card.CallCount, card.MissedCount,
            card.RecentCalls.Select(c => new RecentCallView(c.CallId, c.Direction, c.Status, c.At, recorded.GetValueOrDefault(c.CallId) ?? [])).ToList())).ToList();
    }

    public static async Task<IReadOnlyDictionary<int, string>> ManagerNamesAsync(IEnumerable<ClientCard> cards, IQuerySession session, CancellationToken ct)
    {
        var managerIds = cards.Select(c => c.PersonalManagerId).OfType<int>().Distinct().ToArray();
        return managerIds.Length == 0
            ? new Dictionary<int, string>()
            : (await session.LoadManyAsync<Employee>(ct, managerIds)).ToDictionary(e => e.Id, e => e.FullName);
    }

    public static PersonalManagerView? Manager(ClientCard card, IReadOnlyDictionary<int, string> names) =>
        card.PersonalManagerId is { } id ? new PersonalManagerView(id, names.GetValueOrDefault(id)) : null;
}
