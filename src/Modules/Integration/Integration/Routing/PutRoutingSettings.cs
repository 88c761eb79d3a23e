using System.Net;
using BuildingBlocks.Tenancy;
using Integration.Contracts;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace Integration.Routing;

public sealed record PutRoutingSettings(bool? Enabled, string[]? AllowedSources, RoutingGreeting? Greeting);

/// <summary>The routing switch, the sources allowed without the secret, and the greeting.</summary>
public static class PutRoutingSettingsEndpoint
{
    public const int MaxGreetingText = 1000;

    [WolverinePut("/api/settings/routing"), Authorize(Policy = Auth.Admin), Microsoft.AspNetCore.Mvc.ProducesResponseType<RoutingSettings>(200)]
    public static async Task<IResult> Put(PutRoutingSettings request, IDocumentSession session, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Enabled is null) errors["enabled"] = ["Say whether routing to the personal manager is on (true or false)."];
        var sources = (request.AllowedSources ?? []).Select(s => s.Trim()).Where(s => s.Length > 0).Distinct().ToArray();
        var notSources = sources.Where(s => !IPAddress.TryParse(s, out _) && !IPNetwork.TryParse(s, out _)).ToArray();
        if (notSources.Length > 0)
            errors["allowedSources"] = notSources.Select(s => $"\"{s}\" is neither an IP address nor a CIDR range (203.0.113.10, 203.0.113.0/24).").ToArray();
        var greeting = Normalize(request.Greeting);
        if (request.Greeting is not null && greeting is null)
            errors["greeting"] = ["A greeting is {\"messageName\": …} (a UIS media file) or {\"text\": …}, not both and not empty; null for none."];
        if (greeting?.Text?.Length > MaxGreetingText) errors["greeting"] = [$"The greeting text is at most {MaxGreetingText} characters."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var settings = new RoutingSettings(request.Enabled!.Value, sources, greeting);
        session.Store(settings);
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(settings);
    }

    [WolverineGet("/api/settings/routing"), Authorize(Policy = Auth.Admin)]
    public static async Task<RoutingSettings> Get(IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<RoutingSettings>(RoutingSettings.DocumentId, ct) ?? new RoutingSettings(false, [], null);

    private static RoutingGreeting? Normalize(RoutingGreeting? greeting)
    {
        var name = greeting?.MessageName?.Trim() is { Length: > 0 } n ? n : null;
        var text = greeting?.Text?.Trim() is { Length: > 0 } t ? t : null;
        return (name, text) switch
        {
            (not null, null) => new RoutingGreeting(name, null),
            (null, not null) => new RoutingGreeting(null, text),
            _ => null,
        };
    }
}
