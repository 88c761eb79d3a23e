using System.Text.Json;
using BuildingBlocks.EmployeeEvents;
using Calls.Contracts;
using Leads.ClientCards;

namespace Leads.ScreenPop;

public sealed record PopCard(Guid Id, string Kind, string? Name, PersonalManagerView? PersonalManager, bool IsNewLead);

public sealed record CallPop(Guid CallId, string? Phone, string? Line, PopCard? Card);

public sealed record CallAnsweredPop(Guid CallId, int EmployeeId);

public sealed record CallEndedPop(Guid CallId, string Status);

/// <summary>The events of the screen pop, as the employees' streams carry them.</summary>
public static class ScreenPops
{
    public const string IncomingCall = "incoming-call";
    public const string OutgoingCall = "outgoing-call";
    public const string CallAnswered = "call-answered";
    public const string CallEnded = "call-ended";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static EmployeeEvent? Started(string tenant, IReadOnlyList<int>? recipients, CallChange change, ClientCard? card, bool newLead,
        IReadOnlyDictionary<int, string> managerNames)
    {
        if (recipients is { Count: 0 }) return null;
        var pop = new CallPop(change.CallId, change.ClientPhone, change.Line,
            card is null ? null : new PopCard(card.Id, card.Kind, card.Name, ClientCardView.Manager(card, managerNames), newLead));
        return new EmployeeEvent(tenant, recipients, change.Direction == "out" ? OutgoingCall : IncomingCall, JsonSerializer.Serialize(pop, Json));
    }

    /// <summary>The end of a call for the screens that got its pop; an answered call says who took it first.</summary>
    public static IEnumerable<EmployeeEvent> Ended(string tenant, IReadOnlyList<int>? recipients, CallChange change)
    {
        if (recipients is { Count: 0 }) yield break;
        if (change.EndedStatus == "answered" && change.EmployeeId is { } employee)
            yield return new EmployeeEvent(tenant, recipients, CallAnswered, JsonSerializer.Serialize(new CallAnsweredPop(change.CallId, employee), Json));
        yield return new EmployeeEvent(tenant, recipients, CallEnded, JsonSerializer.Serialize(new CallEndedPop(change.CallId, change.EndedStatus!), Json));
    }
}
