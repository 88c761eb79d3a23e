using BuildingBlocks.Tenancy;
using Integration.Contracts;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Integration.Employees;

public static class GetEmployeesEndpoint
{
    [WolverineGet("/api/settings/employees"), Authorize(Policy = Auth.Employee)]
    public static Task<IReadOnlyList<Employee>> Get(IQuerySession session) =>
        session.Query<Employee>().OrderBy(e => e.Id).ToListAsync();
}
