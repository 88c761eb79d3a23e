using Integration.Contracts;
using Marten;

namespace Leads.ClientCards;

public sealed record PersonalManagerView(int EmployeeId, string? FullName);

/// <summary>The client card as the API answers it.</summary>
public sealed record ClientCardView(
    Guid Id, string Kind, string? Name, IReadOnlyList<string> Phones, PersonalManagerView? PersonalManager,
    DateTimeOffset FirstContactAt, string? Source)
{
    public static async Task<IReadOnlyList<ClientCardView>> FromAsync(IReadOnlyList<ClientCard> cards, IQuerySession session, CancellationToken ct)
    {
        var managerIds = cards.Select(c => c.PersonalManagerId).OfType<int>().Distinct().ToArray();
        var managers = managerIds.Length == 0
            ? new Dictionary<int, string>()
            : (await session.LoadManyAsync<Employee>(ct, managerIds)).ToDictionary(e => e.Id, e => e.FullName);
        return cards.Select(card => new ClientCardView(card.Id, card.Kind, card.Name, card.Phones,
            card.PersonalManagerId is { } id ? new PersonalManagerView(id, managers.GetValueOrDefault(id)) : null,
            card.FirstContactAt, card.Source)).ToList();
    }
}
