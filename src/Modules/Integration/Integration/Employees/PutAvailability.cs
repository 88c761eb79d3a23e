using BuildingBlocks.Tenancy;
using Integration.Contracts;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace Integration.Employees;

public sealed record PutAvailability(bool? Available);

/// <summary>An employee on leave or off shift takes no calls routed to them as personal manager.</summary>
public static class PutAvailabilityEndpoint
{
    [WolverinePut("/api/settings/employees/{employeeId}/availability"), Authorize(Policy = Auth.Admin), Microsoft.AspNetCore.Mvc.ProducesResponseType<EmployeeAvailability>(200)]
    public static async Task<IResult> Put(int employeeId, PutAvailability request, IDocumentSession session, CancellationToken ct)
    {
        if (request.Available is null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["available"] = ["Say whether the employee takes routed calls (true or false)."] });
        if (await session.LoadAsync<Employee>(employeeId, ct) is null)
            return TypedResults.Problem(statusCode: 404, title: "Employee not found", detail: $"There is no employee {employeeId}; add them under /api/settings/employees first.");
        var availability = new EmployeeAvailability(employeeId, request.Available.Value);
        session.Store(availability);
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(availability);
    }

    [WolverineGet("/api/settings/employees/{employeeId}/availability"), Authorize(Policy = Auth.Employee)]
    public static async Task<EmployeeAvailability> Get(int employeeId, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<EmployeeAvailability>(employeeId, ct) ?? new EmployeeAvailability(employeeId, true);
}
