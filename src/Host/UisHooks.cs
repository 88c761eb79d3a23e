using BuildingBlocks.Tenancy;
using BuildingBlocks.Uis;
using Calls.Uis;
using Leads.Contracts;
using Marten;
using Routing.Uis;
using Wolverine;

namespace Host;

/// <summary>
/// The URLs UIS calls. The secret link carries both the notifications (Calls) and, with
/// <c>event=redirect_incoming</c>, the routing requests (Routing); the setup guide's routing URL
/// names the tenant by the request's host instead.
/// </summary>
public static class UisHooks
{
    public static void MapUisHooks(this WebApplication app)
    {
        string[] methods = ["GET", "POST"];
        app.MapMethods("/hook/uis/{secret}", methods, AtSecretLinkAsync).RequireRateLimiting(Hooks.UisConcurrency);
        app.MapMethods("/hook/uis", methods, AtRoutingUrlAsync).RequireRateLimiting(Hooks.UisConcurrency);
    }

    private static async Task<IResult> AtSecretLinkAsync(string secret, HttpContext context, ITenantDirectory tenants)
    {
        var ct = context.RequestAborted;
        if (await tenants.FindByNotificationSecretAsync(secret, ct) is not { } tenant) return TypedResults.NotFound();
        var received = await UisRequestFields.ReadAsync(context.Request, ct);
        var services = context.RequestServices;
        return RoutingRequest.IsRouting(received.Fields)
            ? await RouteAsync(tenant, bySecret: true, received, context)
            : await ReceiveUisNotification.AnswerAsync(tenant, received, context.Request, services.GetRequiredService<IMessageBus>(),
                services.GetRequiredService<CallNotificationWriter>(), services.GetRequiredService<TimeProvider>());
    }

    private static async Task<IResult> AtRoutingUrlAsync(HttpContext context, ITenantDirectory tenants, IConfiguration configuration)
    {
        var ct = context.RequestAborted;
        var received = await UisRequestFields.ReadAsync(context.Request, ct);
        if (!RoutingRequest.IsRouting(received.Fields))
            return TypedResults.Problem(statusCode: 404, title: "Not a routing request",
                detail: "This URL answers event=redirect_incoming; notifications go to the notification link with its secret.");
        var baseDomain = "." + configuration.GetValue("Routing:BaseDomain", "envycrm.com")!.ToLowerInvariant();
        var host = context.Request.Host.Host.ToLowerInvariant();
        var subdomain = host.EndsWith(baseDomain, StringComparison.Ordinal) ? host[..^baseDomain.Length] : null;
        if (string.IsNullOrEmpty(subdomain) || !await tenants.ExistsAsync(subdomain, ct))
            return TypedResults.Json(new { reason = "unknown-account" }, statusCode: 404);
        return await RouteAsync(subdomain, bySecret: false, received, context);
    }

    private static Task<IResult> RouteAsync(string tenant, bool bySecret, UisRequestFields.Received received, HttpContext context)
    {
        var services = context.RequestServices;
        return RouteIncomingCall.AnswerAsync(tenant, bySecret, received, context, services.GetRequiredService<IDocumentStore>(),
            services.GetRequiredService<IManagerLookup>(), services.GetRequiredService<Integration.Contracts.IRoutingDirectory>(),
            services.GetRequiredService<TimeProvider>());
    }
}
