using BuildingBlocks.Postgres;
using BuildingBlocks.EmployeeEvents;
using Calls.Contracts;
using Integration.Contracts;
using Leads.ClientCards;
using Leads.Contracts;
using Leads.ScreenPop;
using Marten;

namespace Leads.CallLinking;

/// <summary>
/// What Leads does with the calls the Calls module has stored (one message per Calls commit, one
/// transaction here): a call from or to a known number joins that card; an incoming call from an
/// unknown number captures a lead; the screens concerned get the pop, and later the call's end.
/// </summary>
public static class LinkCallsToCardsHandler
{
    public const string LeadSource = "incoming-call";

    public static async Task Handle(CallActivity[] activities, IDocumentSession session, CancellationToken ct)
    {
        var changes = activities.SelectMany(a => a.Changes).ToList();
        // The cards read here stay in the session, so the inline projection finds them instead of
        // loading each one again inside SaveChanges.
        session.UseIdentityMapFor<ClientCard>();
        var query = session.CreateBatchQuery();
        var callIds = changes.Select(c => c.CallId).Distinct().ToArray();
        var linkedCalls = query.LoadMany<LinkedCall>().ById(callIds);
        var phones = changes.Select(c => c.ClientPhone).OfType<string>().Distinct().ToArray();
        var cardsOfPhones = phones.Select(phone => query.Query<ClientCard>().Where(ClientCard.Holds(phone)).ToList()).ToList();
        var lines = changes.Select(c => c.Line).OfType<string>().Distinct().ToArray();
        var lineEmployees = lines.Length > 0 ? query.LoadMany<LineEmployees>().ById(lines) : null;
        await query.Execute(ct);

        var linked = (await linkedCalls).ToDictionary(c => c.Id);
        var knownCards = new Dictionary<string, ClientCard>();
        var versions = new Dictionary<Guid, long>();
        for (var i = 0; i < phones.Length; i++)
        {
            var cards = await cardsOfPhones[i];
            foreach (var read in cards) versions[read.Id] = read.Version;
            if (CardOf(cards) is { } card) knownCards[phones[i]] = card;
        }
        var lineStaff = lineEmployees is null ? new Dictionary<string, IReadOnlyList<int>>() : (await lineEmployees).ToDictionary(l => l.Id, l => l.EmployeeIds);

        var pops = new List<(CallChange Change, ClientCard? Card, bool NewLead, IReadOnlyList<int>? Recipients)>();
        var personEvents = new Dictionary<Guid, List<object>>();
        var newLeads = new HashSet<Guid>();
        void Add(Guid personId, object e) => (personEvents.TryGetValue(personId, out var list) ? list : personEvents[personId] = []).Add(e);
        foreach (var change in changes)
        {
            if (!linked.TryGetValue(change.CallId, out var call))
            {
                var card = change.ClientPhone is { } phone ? knownCards.GetValueOrDefault(phone) : null;
                var newLead = card is null && change.Direction == "in" && change.ClientPhone is not null;
                if (newLead)
                {
                    var captured = new LeadCaptured(Guid.CreateVersion7(change.At), change.ClientPhone!, LeadSource, change.Line, change.CallId, change.At);
                    session.Insert(new OpenLeadPhone(captured.Phone, captured.PersonId));
                    newLeads.Add(captured.PersonId);
                    Add(captured.PersonId, captured);
                    card = knownCards[captured.Phone] = ClientCardProjection.Create(captured);
                }
                call = linked[change.CallId] = new LinkedCall(change.CallId, card?.Id, Recipients(change, card, lineStaff));
                session.Insert(call); // a batch linking the same call at the same moment fails here and runs again
                if (card is not null) Add(card.Id, new CallLinkedToPerson(card.Id, change.CallId, change.Direction, change.At));
                if (change.EndedStatus is null) pops.Add((change, card, newLead, call.Recipients));
            }
            // A message delivered again (a crash between this commit and Wolverine's completion) must not count the end twice.
            if (change.EndedStatus is { } status && call.EndedStatus is null)
            {
                call = linked[change.CallId] = call with { EndedStatus = status };
                session.Store(call);
                if (call.ClientId is { } personId) Add(personId, new LinkedCallFinished(personId, change.CallId, status));
                foreach (var e in ScreenPops.Ended(session.TenantId, call.Recipients, change)) session.QueueOperation(new PgNotify(EmployeeEventHub.Channel, EmployeeEventHub.Payload(e)));
            }
        }

        await AppendAsync(session, personEvents, newLeads, versions, ct);

        if (pops.Count > 0)
        {
            var managers = await ClientCardView.ManagerNamesAsync(pops.Select(p => p.Card).OfType<ClientCard>(), session, ct);
            foreach (var (change, card, newLead, recipients) in pops)
                if (ScreenPops.Started(session.TenantId, recipients, change, card, newLead, managers) is { } e)
                    session.QueueOperation(new PgNotify(EmployeeEventHub.Channel, EmployeeEventHub.Payload(e)));
        }
    }

    /// <summary>
    /// Appends with the version each person's stream had when read: a concurrent change of the same
    /// person (an employee editing the card, another node) fails this transaction, which runs again,
    /// instead of one inline card update silently overwriting the other.
    /// </summary>
    private static async Task AppendAsync(IDocumentSession session, Dictionary<Guid, List<object>> personEvents, HashSet<Guid> newLeads,
        Dictionary<Guid, long> versions, CancellationToken ct)
    {
        foreach (var lead in newLeads) session.Events.StartStream<Person>(lead, personEvents[lead].ToArray());
        // Usually the cards read by phone give the versions; a card that no longer holds the call's number is asked for.
        var unread = personEvents.Keys.Where(id => !newLeads.Contains(id) && !versions.ContainsKey(id)).ToArray();
        if (unread.Length > 0)
        {
            var query = session.CreateBatchQuery();
            var states = unread.ToDictionary(id => id, id => query.Events.FetchStreamState(id));
            await query.Execute(ct);
            foreach (var (id, state) in states)
                if (await state is { } current) versions[id] = current.Version;
        }
        foreach (var (id, events) in personEvents)
        {
            if (newLeads.Contains(id)) continue;
            if (versions.TryGetValue(id, out var version)) session.Events.Append(id, version + events.Count, events.ToArray());
            else session.Events.Append(id, events.ToArray());
        }
    }

    /// <summary>When several cards share the number: a client before a lead, then the oldest.</summary>
    public static ClientCard? CardOf(IReadOnlyList<ClientCard> cards) =>
        cards.OrderBy(c => ClientCard.Precedence(c.Kind, c.FirstContactAt, c.Id)).FirstOrDefault();

    /// <summary>
    /// Who sees the call: the calling employee for an outgoing call; for an incoming one, the
    /// caller's personal manager, else the line's employees, else (null) every employee.
    /// </summary>
    public static IReadOnlyList<int>? Recipients(CallChange change, ClientCard? card, IReadOnlyDictionary<string, IReadOnlyList<int>> lineStaff)
    {
        if (change.Direction == "out") return change.EmployeeId is { } caller ? [caller] : [];
        if (card?.PersonalManagerId is { } manager) return [manager];
        return change.Line is { } line && lineStaff.TryGetValue(line, out var staff) && staff.Count > 0 ? staff : null;
    }
}
