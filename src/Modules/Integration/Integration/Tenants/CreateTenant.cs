using System.Text.RegularExpressions;
using BuildingBlocks.Tenancy;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Wolverine.Http;

namespace Integration.Tenants;

public sealed record CreateTenant(string? Subdomain, string? Name, string? TimeZone);

public sealed record TenantCreated(string TenantId, string Subdomain, string NotificationLink);

public static partial class CreateTenantEndpoint
{
    public const string DefaultTimeZone = "Europe/Moscow";
    private static readonly HashSet<string> Reserved = ["www", "api", "admin", "app", "mail"];

    public static ProblemDetails Validate(CreateTenant request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Subdomain is null || !SubdomainPattern().IsMatch(request.Subdomain) || Reserved.Contains(request.Subdomain))
            errors["subdomain"] = ["A subdomain is 1–63 lowercase letters, digits or inner hyphens (e.g. \"acme\" for acme.envycrm.com) and not a reserved name."];
        if (string.IsNullOrWhiteSpace(request.Name))
            errors["name"] = ["The account name is required."];
        if (request.TimeZone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(request.TimeZone, out _))
            errors["timeZone"] = [$"\"{request.TimeZone}\" is not a known IANA time zone (e.g. \"{DefaultTimeZone}\")."];
        return errors.Count == 0 ? WolverineContinue.NoProblems : new ValidationProblemDetails(errors) { Status = 400 };
    }

    [WolverinePost("/admin/tenants"), NotTenanted, Authorize(Policy = Auth.Operator)]
    public static async Task<IResult> Post(CreateTenant request, IDocumentSession session, IConfiguration configuration, TimeProvider clock)
    {
        if (await session.LoadAsync<Tenant>(request.Subdomain!) is not null)
            return TypedResults.Problem(statusCode: 409, title: "Subdomain taken",
                detail: $"A tenant with the subdomain \"{request.Subdomain}\" already exists.");

        var secret = Tenant.NewSecret();
        var tenant = new Tenant(request.Subdomain!, request.Name!.Trim(), request.TimeZone ?? DefaultTimeZone,
            secret, Tenant.HashOf(secret), clock.GetUtcNow());
        session.Insert(tenant); // a concurrent twin fails on the primary key: ConflictExceptionHandler answers 409
        var link = tenant.NotificationLink(configuration["PublicBaseUrl"] ?? "http://127.0.0.1:5000");
        return TypedResults.Created($"/admin/tenants/{tenant.Id}", new TenantCreated(tenant.Id, tenant.Id, link));
    }

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex SubdomainPattern();
}
