using BuildingBlocks.Phones;
using BuildingBlocks.Tenancy;
using Integration.Contracts;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace Integration.Lines;

public sealed record PutLineEmployees(int[]? EmployeeIds);

/// <summary>Who gets the screen pop of a caller without a personal manager on this line; an empty list means every employee.</summary>
public static class PutLineEmployeesEndpoint
{
    [WolverinePut("/api/settings/lines/{line}/employees"), Authorize(Policy = Auth.Admin), Microsoft.AspNetCore.Mvc.ProducesResponseType<LineEmployees>(200)]
    public static async Task<IResult> Put(string line, PutLineEmployees request, IDocumentSession session, CancellationToken ct)
    {
        if (await TenantLineAsync(line, session, ct) is not { } e164) return NotALine(line);
        var ids = (request.EmployeeIds ?? []).Distinct().ToArray();
        var known = ids.Length == 0 ? [] : (await session.LoadManyAsync<Employee>(ct, ids)).Select(e => e.Id).ToHashSet();
        var unknown = ids.Where(id => !known.Contains(id)).ToList();
        if (unknown.Count > 0)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["employeeIds"] = unknown.Select(id => $"There is no employee {id}; add employees under /api/settings/employees first.").ToArray(),
            });
        var assignment = new LineEmployees(e164, ids);
        session.Store(assignment);
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(assignment);
    }

    [WolverineGet("/api/settings/lines/{line}/employees"), Authorize(Policy = Auth.Employee), Microsoft.AspNetCore.Mvc.ProducesResponseType<LineEmployees>(200)]
    public static async Task<IResult> Get(string line, IQuerySession session, CancellationToken ct) =>
        await TenantLineAsync(line, session, ct) is { } e164
            ? TypedResults.Ok(await session.LoadAsync<LineEmployees>(e164, ct) ?? new LineEmployees(e164, []))
            : NotALine(line);

    private static async Task<string?> TenantLineAsync(string line, IQuerySession session, CancellationToken ct)
    {
        var lines = await session.LoadAsync<TenantLines>(TenantLines.DocumentId, ct);
        return Phone.ToE164(line) is { } e164 && lines?.Lines.Contains(e164) == true ? e164 : null;
    }

    private static IResult NotALine(string line) =>
        TypedResults.Problem(statusCode: 404, title: "Not a line of this account",
            detail: $"\"{line}\" is not one of the account's lines; add it with PUT /api/settings/lines first.");
}
