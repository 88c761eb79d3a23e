using BuildingBlocks.Phones;
using BuildingBlocks.Tenancy;
using Leads.ClientCards;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace Leads.Clients;

public sealed record RegisterClient(string? Name, string[]? Phones, int? PersonalManagerId);

public static class RegisterClientEndpoint
{
    [WolverinePost("/api/clients"), Authorize(Policy = Auth.Employee), Microsoft.AspNetCore.Mvc.ProducesResponseType<ClientCardView>(201)]
    public static async Task<IResult> Post(RegisterClient request, IDocumentSession session, TimeProvider clock, Calls.Contracts.ICallRecordings recordings,
        CancellationToken ct)
    {
        var (phones, notPhones) = Phone.ToE164All(request.Phones);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name)) errors["name"] = ["The client's name is required."];
        if (notPhones.Count > 0) errors["phones"] = notPhones.Select(text => $"\"{text}\" is not a phone number.").ToArray();
        if (request.PersonalManagerId is <= 0) errors["personalManagerId"] = ["An employee id is a positive number."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var registered = new ClientRegistered(Guid.CreateVersion7(), request.Name!.Trim(), phones, request.PersonalManagerId, clock.GetUtcNow());
        session.Events.StartStream<Person>(registered.PersonId, registered);
        await session.SaveChangesAsync(ct);
        var card = (await ClientCardView.FromAsync([ClientCardProjection.Create(registered)], session, recordings, ct))[0];
        return TypedResults.Created($"/api/clients/{card.Id}", card);
    }
}
