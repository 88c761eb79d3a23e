using System.Diagnostics;
using System.Threading.RateLimiting;
using BuildingBlocks.Tenancy;
using BuildingBlocks.Uis;
using Calls.Uis;
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
    /// <summary>
    /// Notifications in flight at once. Past a few dozen, more concurrency only makes requests that
    /// hold a database connection wait behind those that want one: throughput collapses. The surplus
    /// queues in arrival order. Routing requests are not held here: a caller is waiting for them,
    /// and they are answered from memory.
    /// </summary>
    public sealed class NotificationConcurrency(IConfiguration configuration) : IDisposable
    {
        public ConcurrencyLimiter Limiter { get; } = new(new ConcurrencyLimiterOptions
        {
            PermitLimit = configuration.GetValue("Uis:MaxConcurrentNotifications", 32),
            QueueLimit = configuration.GetValue("Uis:MaxQueuedNotifications", 10_000),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });

        public void Dispose() => Limiter.Dispose();
    }

    /// <summary>The setup guide's routing URL; the secret link is below it.</summary>
    private const string HookPath = "/hook/uis";

    /// <summary>
    /// Whether a request is for routing, from its URL alone (before its body is read): anything at the setup guide's
    /// routing URL, or the secret link with <c>event=redirect_incoming</c> in the query.
    /// </summary>
    public static bool IsRoutingRequest(HttpRequest request) =>
        request.Path.Equals(HookPath, StringComparison.OrdinalIgnoreCase) ||
        request.Path.StartsWithSegments(HookPath, StringComparison.OrdinalIgnoreCase) && request.Query.TryGetValue("event", out var name) &&
        UisValue.Text(name.ToString()) == RoutingRequest.EventName;

    public static void MapUisHooks(this WebApplication app)
    {
        string[] methods = ["GET", "POST"];
        // Created once: the factory takes a lock per CreateLogger, which the hot path need not pay.
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(LogScopes.Category);
        app.MapMethods(HookPath + "/{secret}", methods, (string secret, HttpContext context, ITenantDirectory tenants) =>
            AtSecretLinkAsync(secret, context, tenants, logger));
        app.MapMethods(HookPath, methods, (HttpContext context, ITenantDirectory tenants, IConfiguration configuration, RoutingServices routing) =>
            AtRoutingUrlAsync(context, tenants, configuration, routing, logger));
    }

    private static async Task<IResult> AtSecretLinkAsync(string secret, HttpContext context, ITenantDirectory tenants, ILogger logger)
    {
        var arrived = Stopwatch.GetTimestamp();
        var ct = context.RequestAborted;
        if (await tenants.FindByNotificationSecretAsync(secret, ct) is not { } tenant) return TypedResults.NotFound();
        var received = await UisRequestFields.ReadAsync(context.Request, ct);
        var services = context.RequestServices;
        using var scope = LogScopes.ForUis(logger, tenant, received);
        services.GetRequiredService<UisTraffic>().RecordWhenAnswered(context, tenant, RoutingRequest.IsRouting(received.Fields) ? "routing" : "notification",
            received, services.GetRequiredService<TimeProvider>());
        if (RoutingRequest.IsRouting(received.Fields))
            return await RouteIncomingCall.AnswerAsync(tenant, bySecret: true, arrived, received, context, services.GetRequiredService<RoutingServices>());

        using var lease = await services.GetRequiredService<NotificationConcurrency>().Limiter.AcquireAsync(1, ct);
        if (!lease.IsAcquired)
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Too many notifications at once",
                detail: "The service is catching up; UIS sends the notification again.");
        return await ReceiveUisNotification.AnswerAsync(tenant, received, context.Request, services.GetRequiredService<IMessageBus>(),
            services.GetRequiredService<CallNotificationWriter>(), services.GetRequiredService<TimeProvider>(), logger);
    }

    private static async Task<IResult> AtRoutingUrlAsync(HttpContext context, ITenantDirectory tenants, IConfiguration configuration,
        RoutingServices routing, ILogger logger)
    {
        var arrived = Stopwatch.GetTimestamp();
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
        using var scope = LogScopes.ForUis(logger, subdomain, received);
        context.RequestServices.GetRequiredService<UisTraffic>().RecordWhenAnswered(context, subdomain, "routing", received,
            context.RequestServices.GetRequiredService<TimeProvider>());
        return await RouteIncomingCall.AnswerAsync(subdomain, bySecret: false, arrived, received, context, routing);
    }
}
