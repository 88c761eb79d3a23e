using System.Linq.Expressions;
using System.Text.Json;
using Marten.Events.Aggregation;
using Marten.Linq.MatchesSql;

namespace Leads.ClientCards;

/// <summary>A call as the card shows it; <c>Status</c> is <c>in-progress</c> until the call ends.</summary>
public sealed record CardCall(Guid CallId, string? Direction, string Status, DateTimeOffset At);

/// <summary>
/// What the CRM shows of a lead or client. The manager's name is looked up when the card is read
/// (the employee directory belongs to Integration), so a renamed employee shows the new name.
/// </summary>
public sealed class ClientCard
{
    public const int RecentCallsShown = 20;
    public const string InProgress = "in-progress";

    public Guid Id { get; set; }
    public string Kind { get; set; } = PersonKind.Lead;
    public string? Name { get; set; }
    public List<string> Phones { get; set; } = [];
    public int? PersonalManagerId { get; set; }
    public DateTimeOffset FirstContactAt { get; set; }
    public string? Source { get; set; }
    public CardCall? LastCall { get; set; }
    public int CallCount { get; set; }
    /// <summary>Missed calls since the last answered one, in either direction.</summary>
    public int MissedCount { get; set; }
    /// <summary>The last <see cref="RecentCallsShown"/> calls, newest first.</summary>
    public List<CardCall> RecentCalls { get; set; } = [];
    /// <summary>The person stream's version this card reflects (set by Marten); appends state it as the version they expect.</summary>
    public long Version { get; set; }

    /// <summary>When several cards hold one number, the call and the routing go to the first by this key: a client before a lead, then the oldest.</summary>
    public static (int, DateTimeOffset, Guid) Precedence(string kind, DateTimeOffset firstContactAt, Guid id) =>
        (kind == PersonKind.Client ? 0 : 1, firstContactAt, id);

    /// <summary>
    /// Cards holding the number (E.164): containment on the phones alone, the expression of the
    /// card table's GIN index (LeadsModule). Marten's own <c>Phones.Contains</c> tests the whole document.
    /// </summary>
    public static Expression<Func<ClientCard, bool>> Holds(string phone)
    {
        var phones = JsonSerializer.Serialize(new[] { phone });
        return card => card.MatchesSql("CAST(d.data ->> 'Phones' as jsonb) @> ?::jsonb", phones);
    }
}

public sealed partial class ClientCardProjection : SingleStreamProjection<ClientCard, Guid>
{
    public static ClientCard Create(LeadCaptured e) => new()
    {
        Id = e.PersonId, Kind = PersonKind.Lead, Phones = [e.Phone], FirstContactAt = e.At, Source = e.Source,
    };

    public static ClientCard Create(ClientRegistered e) => new()
    {
        Id = e.PersonId, Kind = PersonKind.Client, Name = e.Name, Phones = [.. e.Phones],
        PersonalManagerId = e.PersonalManagerId, FirstContactAt = e.At, Source = "crm",
    };

    public static void Apply(ClientPhoneAdded e, ClientCard card) => card.Phones.Add(e.Phone);

    public static void Apply(ClientPhoneRemoved e, ClientCard card) => card.Phones.Remove(e.Phone);

    public static void Apply(PersonalManagerAssigned e, ClientCard card) => card.PersonalManagerId = e.EmployeeId;

    public static void Apply(PersonalManagerUnassigned e, ClientCard card) => card.PersonalManagerId = null;

    public static void Apply(LeadConverted e, ClientCard card)
    {
        card.Kind = PersonKind.Client;
        card.Name = e.Name ?? card.Name;
    }

    public static void Apply(CallLinkedToPerson e, ClientCard card)
    {
        card.CallCount++;
        // Calls are linked in the order their first notification arrived: keep the list ordered by start.
        var position = card.RecentCalls.FindIndex(c => c.At < e.At);
        card.RecentCalls.Insert(position < 0 ? card.RecentCalls.Count : position, new CardCall(e.CallId, e.Direction, ClientCard.InProgress, e.At));
        if (card.RecentCalls.Count > ClientCard.RecentCallsShown) card.RecentCalls.RemoveAt(card.RecentCalls.Count - 1);
        card.LastCall = card.RecentCalls[0];
    }

    public static void Apply(LinkedCallFinished e, ClientCard card)
    {
        var index = card.RecentCalls.FindIndex(c => c.CallId == e.CallId);
        if (index >= 0) card.RecentCalls[index] = card.RecentCalls[index] with { Status = e.Status };
        if (card.LastCall?.CallId == e.CallId) card.LastCall = card.LastCall with { Status = e.Status };
        card.MissedCount = e.Status switch
        {
            "answered" => 0,
            "missed" => card.MissedCount + 1,
            _ => card.MissedCount,
        };
    }
}
