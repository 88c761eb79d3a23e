using Leads.Contracts;
using Marten;

namespace Calls.CallHistory;

/// <summary>Leads found the cards of these calls' numbers: each call records its card, and its history row shows it.</summary>
public static class RecordCallClientsHandler
{
    public static void Handle(CallsLinked linked, IDocumentSession session)
    {
        foreach (var link in linked.Links)
            session.Events.Append(link.CallId, new CallClientIdentified(link.CallId, link.ClientId));
    }
}
