using BuildingBlocks.Tenancy;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace Calls.CallHistory;

public static class GetCallEndpoint
{
    [WolverineGet("/api/calls/{callId}"), Authorize(Policy = Auth.Employee), Microsoft.AspNetCore.Mvc.ProducesResponseType<CallHistoryEntry>(200)]
    public static async Task<IResult> Get(Guid callId, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<CallHistoryEntry>(callId, ct) is { } entry
            ? TypedResults.Ok((await CallCards.FillAsync([entry], session, ct))[0])
            : TypedResults.Problem(statusCode: 404, title: "Call not found", detail: $"No call {callId} in this account.");
}
