using BuildingBlocks.Phones;
using BuildingBlocks.Tenancy;
using Integration.Contracts;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace Integration.Lines;

public sealed record PutLines(string[]? Lines);

public static class PutLinesEndpoint
{
    [WolverinePut("/api/settings/lines"), Authorize(Policy = Auth.Admin), Microsoft.AspNetCore.Mvc.ProducesResponseType<TenantLines>(200)]
    public static async Task<IResult> Put(PutLines request, IDocumentSession session)
    {
        var (phones, invalid) = Phone.ToE164All(request.Lines);
        if (invalid.Count > 0)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["lines"] = invalid.Select(line => $"\"{line}\" is not a phone number; a line is a UIS virtual number such as +74993720692.").ToArray(),
            });
        var lines = new TenantLines(phones);
        session.Store(lines);
        await session.SaveChangesAsync();
        return TypedResults.Ok(lines);
    }

    [WolverineGet("/api/settings/lines"), Authorize(Policy = Auth.Employee)]
    public static async Task<TenantLines> Get(IQuerySession session) =>
        await session.LoadAsync<TenantLines>(TenantLines.DocumentId) ?? new TenantLines([]);
}
