using Calls.Contracts;
using Leads.ClientCards;
using Marten;

namespace Leads.IncomingCalls;

/// <summary>Claims a number for its open lead: the unique key that keeps two first calls from making two leads.</summary>
public sealed record OpenLeadPhone(string Id, Guid LeadId);

/// <summary>
/// An incoming call from a number no card has becomes a lead. Calls arrive in batches (one
/// tenant each): one round trip asks which numbers are known, one transaction writes the leads.
/// Two first calls from one number in different batches both try to claim it; the loser's insert
/// fails, Wolverine runs that batch again, and it finds the lead the winner made.
/// </summary>
public static class CaptureLeadHandler
{
    public const string Source = "incoming-call";

    public static async Task Handle(CallReceived[] calls, IDocumentSession session, CancellationToken ct)
    {
        var firstCallByPhone = calls
            .Where(c => c.Direction == "in" && c.ClientPhone is not null)
            .GroupBy(c => c.ClientPhone!)
            .ToDictionary(g => g.Key, g => g.OrderBy(c => c.At).First());
        if (firstCallByPhone.Count == 0) return;

        var query = session.CreateBatchQuery();
        var phones = firstCallByPhone.Keys.ToArray();
        var claims = query.LoadMany<OpenLeadPhone>().ById(phones);
        var known = phones.ToDictionary(phone => phone, phone => query.Query<ClientCard>().Where(c => c.Phones.Contains(phone)).Any());
        await query.Execute(ct);
        var claimed = (await claims).Select(c => c.Id).ToHashSet();

        foreach (var (phone, call) in firstCallByPhone)
        {
            if (claimed.Contains(phone) || await known[phone]) continue;
            var leadId = Guid.CreateVersion7(call.At);
            session.Insert(new OpenLeadPhone(phone, leadId));
            session.Events.StartStream<Person>(leadId, new LeadCaptured(leadId, phone, Source, call.Line, call.CallId, call.At));
        }
    }
}
