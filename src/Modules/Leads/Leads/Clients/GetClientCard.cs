using BuildingBlocks.Phones;
using BuildingBlocks.Tenancy;
using Leads.ClientCards;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace Leads.Clients;

/// <summary>Cards found by a phone number. <c>Ambiguous</c>: several cards share it, and the CRM must let a person choose.</summary>
public sealed record ClientSearchResult(IReadOnlyList<ClientCardView> Items, bool Ambiguous);

public static class GetClientCardEndpoints
{
    [WolverineGet("/api/clients/{id}"), Authorize(Policy = Auth.Employee), Microsoft.AspNetCore.Mvc.ProducesResponseType<ClientCardView>(200)]
    public static async Task<IResult> Get(Guid id, IQuerySession session, Calls.Contracts.ICallRecordings recordings, CancellationToken ct) =>
        await session.LoadAsync<ClientCard>(id, ct) is { } card
            ? TypedResults.Ok((await ClientCardView.FromAsync([card], session, recordings, ct))[0])
            : TypedResults.Problem(statusCode: 404, title: "Client not found", detail: $"No lead or client {id} in this account.");

    [WolverineGet("/api/clients"), Authorize(Policy = Auth.Employee), Microsoft.AspNetCore.Mvc.ProducesResponseType<ClientSearchResult>(200)]
    public static async Task<IResult> Find(string? phone, IQuerySession session, Calls.Contracts.ICallRecordings recordings, CancellationToken ct)
    {
        if (Phone.ToE164(phone) is not { } e164)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["phone"] = ["Give a phone number to search by, in any format."] });
        var cards = await session.Query<ClientCard>().Where(ClientCard.Holds(e164)).OrderBy(c => c.FirstContactAt).ToListAsync(ct);
        return TypedResults.Ok(new ClientSearchResult(await ClientCardView.FromAsync(cards, session, recordings, ct), cards.Count > 1));
    }

    [WolverineGet("/api/leads"), Authorize(Policy = Auth.Employee), Microsoft.AspNetCore.Mvc.ProducesResponseType<List<ClientCardView>>(200)]
    public static async Task<IResult> OpenLeads(string? status, IQuerySession session, Calls.Contracts.ICallRecordings recordings, CancellationToken ct)
    {
        if (status is not (null or "open"))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["status is \"open\"."] });
        var cards = await session.Query<ClientCard>().Where(c => c.Kind == PersonKind.Lead)
            .OrderByDescending(c => c.FirstContactAt).Take(500).ToListAsync(ct);
        return TypedResults.Ok(await ClientCardView.FromAsync(cards, session, recordings, ct));
    }
}
