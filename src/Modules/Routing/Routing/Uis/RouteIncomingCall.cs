using System.Diagnostics;
using System.Net;
using BuildingBlocks.Phones;
using BuildingBlocks.Uis;
using Integration.Contracts;
using Leads.Contracts;
using Routing.Decisions;
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
        public const string SourceNotAllowed = "source-not-allowed";
        public const string DeadlineExceeded = "deadline-exceeded";
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
    /// Answers UIS for the tenant: reads the lookup (from memory), decides, hands the decision to
    /// the writer and answers without waiting for it to be stored (ADR 9). Past the deadline, counted
    /// from <paramref name="arrived"/>, the answer is the fallback error rather than a late one.
    /// <paramref name="bySecret"/>: the request came at the secret link.
    /// </summary>
    public static async Task<IResult> AnswerAsync(string tenant, bool bySecret, long arrived, UisRequestFields.Received received,
        HttpContext context, RoutingServices services)
    {
        var (answer, outcome, reason) = await DecideWithinDeadlineAsync(tenant, bySecret, arrived, received, context, services);
        var milliseconds = Stopwatch.GetElapsedTime(arrived).TotalMilliseconds;
        BuildingBlocks.Telemetry.ServiceMetrics.RoutingDecided(outcome, reason, milliseconds);
        context.Items[UisAnswer.ReasonKey] = reason;
        // The service's own time for the answer (from the endpoint's entry to the decision), for whoever measures from outside.
        context.Response.Headers["Server-Timing"] = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"routing;dur={milliseconds:F3}");
        return answer;
    }

    private static async Task<(IResult Answer, string Outcome, string? Reason)> DecideWithinDeadlineAsync(string tenant, bool bySecret, long arrived, UisRequestFields.Received received,
        HttpContext context, RoutingServices services)
    {
        var request = RoutingRequest.Parse(received.Fields);
        var left = services.Deadline - Stopwatch.GetElapsedTime(arrived);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var gathering = GatherAsync(tenant, request, bySecret, context.Connection.RemoteIpAddress, services, timeout.Token);
        RoutingSetup? setup = null;
        RoutingDecision decision;
        try
        {
            (setup, var facts) = left > TimeSpan.Zero ? await gathering.WaitAsync(left, context.RequestAborted) : throw new TimeoutException();
            if (facts is null) return (TypedResults.Json(new { reason = Reasons.SourceNotAllowed }, statusCode: 403), RoutingOutcome.FellBack, Reasons.SourceNotAllowed);
            decision = Decide(request, facts);
        }
        catch (TimeoutException)
        {
            await timeout.CancelAsync();
            // Without the settings the source cannot be checked: answer only what the secret link allows to be recorded.
            if (!bySecret) return (TypedResults.Json(new { reason = Reasons.DeadlineExceeded }, statusCode: 503), RoutingOutcome.FellBack, Reasons.DeadlineExceeded);
            decision = RoutingDecision.Fallback(503, Reasons.DeadlineExceeded);
        }

        services.Writer.Store(ToStore(tenant, request, decision, services.Clock.GetUtcNow()));
        if (decision.Status != 200) return (TypedResults.Json(new { reason = decision.Reason }, statusCode: decision.Status), decision.Outcome, decision.Reason);
        var answer = new Dictionary<string, object> { ["phones"] = decision.Phones };
        if (setup!.Settings!.Greeting?.MessageName is { } name) answer["message_name"] = name;
        else if (setup.Settings.Greeting?.Text is { } text) answer["text"] = text;
        return (TypedResults.Json(answer), decision.Outcome, null);
    }

    /// <summary>The facts for the decision; none when the request came without the secret from a source that is not allowed.</summary>
    private static async Task<(RoutingSetup, RoutingFacts?)> GatherAsync(string tenant, RoutingRequest request, bool bySecret, IPAddress? source,
        RoutingServices services, CancellationToken ct)
    {
        var setup = await services.Directory.ForTenantAsync(tenant, ct);
        if (!bySecret && !IsAllowedSource(source, setup.Settings)) return (setup, null);
        var card = request.Caller is null ? null : await services.Lookup.FindAsync(tenant, request.Caller, ct);
        var manager = card?.EmployeeId is { } employeeId ? setup.Employees.GetValueOrDefault(employeeId) : null;
        var available = card?.EmployeeId is not { } id || !setup.Unavailable.Contains(id);
        return (setup, new RoutingFacts(setup.Settings, card, manager, available));
    }

    private static DecisionToStore ToStore(string tenant, RoutingRequest request, RoutingDecision decision, DateTimeOffset now)
    {
        var routingId = RoutedCall.IdFor(request.UisCallSessionId, now);
        object recorded = decision.Outcome == RoutingOutcome.Routed
            ? new CallRoutedToManager(routingId, request.UisCallSessionId, request.Caller!, decision.ClientId!.Value, decision.EmployeeId!.Value, decision.Phones, now)
            : new CallRoutingFellBack(routingId, request.UisCallSessionId, request.Caller, decision.Reason!, decision.ClientId, decision.EmployeeId, now);
        var latest = request.UisCallSessionId is { } session ? new CallRouting(session, decision.Outcome, decision.EmployeeId, decision.Reason) : null;
        return new DecisionToStore(tenant, routingId, recorded, latest);
    }
}

/// <summary>What answering a routing request needs, resolved once.</summary>
public sealed record RoutingServices(IManagerLookup Lookup, IRoutingDirectory Directory, RoutingDecisionWriter Writer, TimeProvider Clock, TimeSpan Deadline);
