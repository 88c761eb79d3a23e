using Calls.Contracts;
using Leads.ClientCards;
using Marten;

namespace Leads.IncomingCalls;

/// <summary>Claims a number for its open lead: the unique key that keeps two first calls from making two leads.</summary>
public sealed record OpenLeadPhone(string Id, Guid LeadId);

/// <summary>
/// An incoming call from a number no card has becomes a lead. Two first calls from one number at
/// the same moment both try to claim it; the loser's insert fails, Wolverine runs it again, and
/// it finds the lead the winner made.
/// </summary>
public static class CaptureLeadHandler
{
    public const string Source = "incoming-call";

    public static async Task Handle(CallReceived call, IDocumentSession session, CancellationToken ct)
    {
        if (call.Direction != "in" || call.ClientPhone is not { } phone) return;
        if (await session.Query<ClientCard>().AnyAsync(c => c.Phones.Contains(phone), ct)) return;
        if (await session.LoadAsync<OpenLeadPhone>(phone, ct) is not null) return;

        var leadId = Guid.CreateVersion7(call.At);
        session.Insert(new OpenLeadPhone(phone, leadId));
        session.Events.StartStream<Person>(leadId, new LeadCaptured(leadId, phone, Source, call.Line, call.CallId, call.At));
    }
}
