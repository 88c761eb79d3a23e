using Leads.CallLinking;
using Leads.ClientCards;
using Leads.Contracts;
using Marten;

namespace Leads.ManagerLookups;

/// <summary>The manager lookup read from the cards themselves (the phones' GIN index), so an assignment counts from its commit on.</summary>
public sealed class ManagerLookup(IDocumentStore store) : IManagerLookup
{
    public async ValueTask<CardManager?> FindAsync(string tenant, string phone, CancellationToken ct)
    {
        await using var session = store.QuerySession(tenant);
        var cards = await session.Query<ClientCard>().Where(ClientCard.Holds(phone)).ToListAsync(ct);
        return LinkCallsToCardsHandler.CardOf(cards) is { } card ? new CardManager(card.Id, card.PersonalManagerId) : null;
    }
}
