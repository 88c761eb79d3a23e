using System.Net;
using BuildingBlocks.Phones;
using BuildingBlocks.Uis;
using Integration.Contracts;
using Leads.Contracts;
using Marten;
using Routing.Contracts;
using Microsoft.AspNetCore.Http;

namespace Routing.Uis;

/// <summary>What the tenant's data says about one routing request, gathered before deciding.</summary>
public sealed record RoutingFacts(RoutingSettings? Settings, CardManager? Card, Employee? Manager, bool ManagerAvailable);

/// <summary>The decision and UIS's answer to it: 200 with the manager's numbers, or an error status so UIS rings its group.</summary>
public sealed record RoutingDecision(int Status, string Outcome, string? Reason, Guid? ClientId, int? EmployeeId, IReadOnlyList<string> Phones)
{
    public static RoutingDecision Fallback(int status, string reason, Guid? clientId = null, int? employeeId = null) =>
        new(status, RoutingOutcome.FellBack, reason, clientId, employeeId, []);
}

public static class RouteIncomingCall
{
    public static class Reasons
    {
        public const string RoutingOff = "routing-off";
        public const string NoCallerNumber = "no-caller-number";
        public const string UnknownCaller = "unknown-caller";
        public const string NoPersonalManager = "no-personal-manager";
        public const string ManagerHasNoNumber = "manager-has-no-number";
        public const string ManagerUnavailable = "manager-unavailable";
    }

    /// <summary>The pure decision. Never a 200 without phones.</summary>
    public static RoutingDecision Decide(RoutingRequest request, RoutingFacts facts)
    {
        if (facts.Settings is not { Enabled: true }) return RoutingDecision.Fallback(404, Reasons.RoutingOff);
        if (request.Caller is null) return RoutingDecision.Fallback(404, Reasons.NoCallerNumber);
        if (facts.Card is not { } card) return RoutingDecision.Fallback(404, Reasons.UnknownCaller);
        if (card.EmployeeId is not { } employeeId) return RoutingDecision.Fallback(404, Reasons.NoPersonalManager, card.ClientId);
        var phones = (facts.Manager?.Phones ?? []).Select(p => Phone.ToUisDigits(p)).OfType<string>().ToList();
        if (phones.Count == 0) return RoutingDecision.Fallback(404, Reasons.ManagerHasNoNumber, card.ClientId, employeeId);
        if (!facts.ManagerAvailable) return RoutingDecision.Fallback(409, Reasons.ManagerUnavailable, card.ClientId, employeeId);
        return new RoutingDecision(200, RoutingOutcome.Routed, null, card.ClientId, employeeId, phones);
    }

    /// <summary>A request that came without the secret is answered only from an allowed source address.</summary>
    public static bool IsAllowedSource(IPAddress? source, RoutingSettings? settings)
    {
        if (source is null || settings is null) return false;
        if (source.IsIPv4MappedToIPv6) source = source.MapToIPv4();
        foreach (var allowed in settings.AllowedSources)
        {
            if (IPAddress.TryParse(allowed, out var address) && address.Equals(source)) return true;
            if (!allowed.Contains('/') || !IPNetwork.TryParse(allowed, out var network)) continue;
            if (network.Contains(source)) return true;
        }
        return false;
    }

    /// <summary>
    /// Answers UIS for the tenant: reads the lookup, decides, records the decision on the call's
    /// routing stream, and answers. <paramref name="bySecret"/>: the request came at the secret link.
    /// </summary>
    public static async Task<IResult> AnswerAsync(string tenant, bool bySecret, UisRequestFields.Received received, HttpContext context,
        IDocumentStore store, IManagerLookup lookup, IRoutingDirectory directory, TimeProvider clock)
    {
        var ct = context.RequestAborted;
        var request = RoutingRequest.Parse(received.Fields);
        var setup = await directory.ForTenantAsync(tenant, ct);
        var settings = setup.Settings;
        if (!bySecret && !IsAllowedSource(context.Connection.RemoteIpAddress, settings))
            return TypedResults.Json(new { reason = "source-not-allowed" }, statusCode: 403);

        var card = request.Caller is null ? null : await lookup.FindAsync(tenant, request.Caller, ct);
        var manager = card?.EmployeeId is { } employeeId ? setup.Employees.GetValueOrDefault(employeeId) : null;
        var available = card?.EmployeeId is not { } id || !setup.Unavailable.Contains(id);
        var decision = Decide(request, new RoutingFacts(settings, card, manager, available));
        await using var session = store.LightweightSession(tenant);

        var now = clock.GetUtcNow();
        var routingId = RoutedCall.IdFor(request.UisCallSessionId, now);
        session.Events.Append(routingId, decision.Outcome == RoutingOutcome.Routed
            ? new CallRoutedToManager(routingId, request.UisCallSessionId, request.Caller!, decision.ClientId!.Value, decision.EmployeeId!.Value, decision.Phones, now)
            : new CallRoutingFellBack(routingId, request.UisCallSessionId, request.Caller, decision.Reason!, decision.ClientId, decision.EmployeeId, now));
        if (request.UisCallSessionId is { } uisSession)
            session.Store(new CallRouting(uisSession, decision.Outcome, decision.EmployeeId, decision.Reason));
        await session.SaveChangesAsync(ct);

        if (decision.Status != 200) return TypedResults.Json(new { reason = decision.Reason }, statusCode: decision.Status);
        var answer = new Dictionary<string, object> { ["phones"] = decision.Phones };
        if (settings!.Greeting?.MessageName is { } name) answer["message_name"] = name;
        else if (settings.Greeting?.Text is { } text) answer["text"] = text;
        return TypedResults.Json(answer);
    }
}
