using BuildingBlocks.Postgres;
using System.Text.Json;
using JasperFx.Events;
using Marten;
using Marten.Services;

namespace Leads.ManagerLookups;

/// <summary>
/// Keeps the card index current. Before a commit that changes who holds a number or who manages
/// a card, queues a NOTIFY for the other nodes; after it, refreshes those cards here, so the very
/// next routing request on this node sees the change.
/// </summary>
public sealed class CardChanges(CardIndexHost index) : DocumentSessionListenerBase
{
    public const string Channel = "envycrm_card_changes";

    public sealed record Changed(string Tenant, Guid[] Ids);

    private static readonly HashSet<Type> ChangeWhoIsReached =
    [
        typeof(LeadCaptured), typeof(ClientRegistered), typeof(ClientPhoneAdded), typeof(ClientPhoneRemoved),
        typeof(PersonalManagerAssigned), typeof(PersonalManagerUnassigned), typeof(LeadConverted),
    ];

    public static IReadOnlyList<Changed> Of(IEnumerable<StreamAction> streams) =>
        streams.Where(s => s.Events.Any(e => ChangeWhoIsReached.Contains(e.EventType)))
            .GroupBy(s => s.TenantId)
            .Select(g => new Changed(g.Key, g.Select(s => s.Id).Distinct().ToArray()))
            .ToList();

    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        foreach (var changed in Of(session.PendingChanges.Streams()))
            session.QueueOperation(new PgNotify(Channel, JsonSerializer.Serialize(changed)));
        return Task.CompletedTask;
    }

    public override async Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        foreach (var changed in Of(commit.GetStreams())) await index.RefreshAsync(changed, token);
    }
}
