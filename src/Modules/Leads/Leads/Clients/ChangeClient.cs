using BuildingBlocks.Phones;
using BuildingBlocks.Tenancy;
using Leads.CallLinking;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;
using Wolverine.Marten;

namespace Leads.Clients;

public sealed record AddClientPhone(string? Phone);

public sealed record AssignPersonalManager(int? EmployeeId);

public sealed record ConvertLead(string? Name);

/// <summary>Changes to a lead or client: each a pure decision on the person's stream, 204 when stored.</summary>
public static class ChangeClientEndpoints
{
    [WolverinePost("/api/clients/{id}/phones"), Authorize(Policy = Auth.Employee), Microsoft.AspNetCore.Mvc.ProducesResponseType(204)]
    public static (IResult, Events) AddPhone(AddClientPhone request, [WriteAggregate("id")] Person person)
    {
        if (Phone.ToE164(request.Phone) is not { } phone)
            return (Invalid("phone", $"\"{request.Phone}\" is not a phone number."), []);
        return (TypedResults.NoContent(), person.Phones.Contains(phone) ? [] : [new ClientPhoneAdded(person.Id, phone)]);
    }

    [WolverineDelete("/api/clients/{id}/phones/{phone}"), Authorize(Policy = Auth.Employee), Microsoft.AspNetCore.Mvc.ProducesResponseType(204)]
    public static (IResult, Events) RemovePhone(string phone, [WriteAggregate("id")] Person person, IDocumentSession session)
    {
        var e164 = Phone.ToE164(phone);
        if (e164 is null || !person.Phones.Contains(e164))
            return (TypedResults.Problem(statusCode: 404, title: "No such phone", detail: $"The card has no phone {phone}."), []);
        // A lead that gives up its number no longer holds it: the next unknown call from it captures a new lead.
        session.DeleteWhere<OpenLeadPhone>(claim => claim.Id == e164 && claim.LeadId == person.Id);
        return (TypedResults.NoContent(), [new ClientPhoneRemoved(person.Id, e164)]);
    }

    [WolverinePut("/api/clients/{id}/personal-manager"), Authorize(Policy = Auth.Employee), Microsoft.AspNetCore.Mvc.ProducesResponseType(204)]
    public static (IResult, Events) Assign(AssignPersonalManager request, [WriteAggregate("id")] Person person)
    {
        if (request.EmployeeId is not > 0) return (Invalid("employeeId", "An employee id is a positive number."), []);
        return (TypedResults.NoContent(),
            person.PersonalManagerId == request.EmployeeId ? [] : [new PersonalManagerAssigned(person.Id, request.EmployeeId.Value)]);
    }

    [WolverineDelete("/api/clients/{id}/personal-manager"), Authorize(Policy = Auth.Employee), Microsoft.AspNetCore.Mvc.ProducesResponseType(204)]
    public static (IResult, Events) Unassign([WriteAggregate("id")] Person person) =>
        (TypedResults.NoContent(), person.PersonalManagerId is null ? [] : [new PersonalManagerUnassigned(person.Id)]);

    [WolverinePost("/api/leads/{id}/convert"), Authorize(Policy = Auth.Employee), Microsoft.AspNetCore.Mvc.ProducesResponseType(204)]
    public static (IResult, Events) Convert(ConvertLead request, [WriteAggregate("id")] Person person, TimeProvider clock)
    {
        if (person.Kind != PersonKind.Lead)
            return (TypedResults.Problem(statusCode: 409, title: "Not a lead", detail: "This card is already a client."), []);
        return (TypedResults.NoContent(), [new LeadConverted(person.Id, request.Name?.Trim() is { Length: > 0 } name ? name : null, clock.GetUtcNow())]);
    }

    private static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}
