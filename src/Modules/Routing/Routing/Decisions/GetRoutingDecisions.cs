using BuildingBlocks.Tenancy;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace Routing.Decisions;

/// <summary>One routing decision as the audit shows it.</summary>
public sealed record RoutingDecisionView(
    Guid RoutingId, long? UisCallSessionId, string? CallerPhone, string Outcome, string? Reason, Guid? ClientId, int? EmployeeId,
    IReadOnlyList<string> Phones, DateTimeOffset At);

/// <summary>Every routing decision in a period, newest first, read from the event store itself.</summary>
public static class GetRoutingDecisionsEndpoint
{
    public const int MaxLimit = 1000;

    [WolverineGet("/api/routing/decisions"), Authorize(Policy = Auth.Admin), Microsoft.AspNetCore.Mvc.ProducesResponseType<List<RoutingDecisionView>>(200)]
    public static async Task<IResult> Get(DateTimeOffset? from, DateTimeOffset? to, int? limit, IQuerySession session, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"limit is between 1 and {MaxLimit}."] });
        var query = session.Events.QueryAllRawEvents().Where(e => e.EventTypesAre(typeof(CallRoutedToManager), typeof(CallRoutingFellBack)));
        if (from is not null) query = query.Where(e => e.Timestamp >= from.Value);
        if (to is not null) query = query.Where(e => e.Timestamp < to.Value);
        var events = await query.OrderByDescending(e => e.Sequence).Take(limit ?? 200).ToListAsync(ct);
        return TypedResults.Ok(events.Select(e => e.Data switch
        {
            CallRoutedToManager r => new RoutingDecisionView(r.RoutingId, r.UisCallSessionId, r.CallerPhone, RoutingOutcome.Routed, null,
                r.ClientId, r.EmployeeId, r.Phones, r.At),
            CallRoutingFellBack f => new RoutingDecisionView(f.RoutingId, f.UisCallSessionId, f.CallerPhone, RoutingOutcome.FellBack, f.Reason,
                f.ClientId, f.EmployeeId, [], f.At),
            _ => throw new InvalidOperationException($"Not a routing decision: {e.EventTypeName}"),
        }).ToList());
    }
}
