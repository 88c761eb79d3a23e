using Leads.CallLinking;
using Leads.ClientCards;
using Leads.Contracts;
using Marten;

namespace Leads.ManagerLookups;

/// <summary>
/// The manager lookup: from the in-memory card index once it is filled (no database on the
/// routing path), from the cards' phone index in PostgreSQL until then.
/// </summary>
public sealed class ManagerLookup(CardIndex index, IDocumentStore store) : IManagerLookup
{
    public async ValueTask<CardManager?> FindAsync(string tenant, string phone, CancellationToken ct)
    {
        if (index.Ready)
            return index.FindFirst(tenant, phone) is { } indexed ? new CardManager(indexed.Id, indexed.ManagerId) : null;

        await using var session = store.QuerySession(tenant);
        var cards = await session.Query<ClientCard>().Where(ClientCard.Holds(phone)).ToListAsync(ct);
        return LinkCallsToCardsHandler.CardOf(cards) is { } card ? new CardManager(card.Id, card.PersonalManagerId) : null;
    }
}
