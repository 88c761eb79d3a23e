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

    /// <param name="Node">The node that committed the change (it has refreshed already); null when unknown.</param>
    public sealed record Changed(string Tenant, Guid[] Ids, Guid? Node = null);

    private static readonly HashSet<Type> ChangeWhoIsReached =
    [
        typeof(LeadCaptured), typeof(ClientRegistered), typeof(ClientPhoneAdded), typeof(ClientPhoneRemoved),
        typeof(PersonalManagerAssigned), typeof(PersonalManagerUnassigned), typeof(LeadConverted),
    ];

    public static IReadOnlyList<Changed> Of(IEnumerable<StreamAction> streams, Guid node) =>
        streams.Where(s => s.Events.Any(e => ChangeWhoIsReached.Contains(e.EventType)))
            .GroupBy(s => s.TenantId)
            .Select(g => new Changed(g.Key, g.Select(s => s.Id).Distinct().ToArray(), node))
            .ToList();

    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        foreach (var changed in Of(session.PendingChanges.Streams(), index.Node))
            session.QueueOperation(new PgNotify(Channel, JsonSerializer.Serialize(changed)));
        return Task.CompletedTask;
    }

    public override async Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        foreach (var changed in Of(commit.GetStreams(), index.Node)) await index.RefreshAsync(changed, token);
    }
}
