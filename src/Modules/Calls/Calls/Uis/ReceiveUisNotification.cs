using BuildingBlocks.Tenancy;
using BuildingBlocks.Uis;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Wolverine;
using Wolverine.Http;

namespace Calls.Uis;

/// <summary>
/// UIS "HTTP notifications" arrive at the tenant's secret link. A notification is acknowledged
/// only after its events are stored; a rejected one is kept for the admin to inspect.
/// </summary>
public static class ReceiveUisNotificationEndpoint
{
    [WolverineGet("/hook/uis/{secret}"), NotTenanted, EnableRateLimiting(Hooks.UisConcurrency)]
    public static Task<IResult> Get(string secret, HttpRequest request, ITenantDirectory tenants, IMessageBus bus, CallNotificationWriter writer, TimeProvider clock) =>
        ReceiveAsync(secret, request, tenants, bus, writer, clock);

    [WolverinePost("/hook/uis/{secret}"), NotTenanted, EnableRateLimiting(Hooks.UisConcurrency)]
    public static Task<IResult> Post(string secret, HttpRequest request, ITenantDirectory tenants, IMessageBus bus, CallNotificationWriter writer, TimeProvider clock) =>
        ReceiveAsync(secret, request, tenants, bus, writer, clock);

    private static async Task<IResult> ReceiveAsync(string secret, HttpRequest request, ITenantDirectory tenants, IMessageBus bus,
        CallNotificationWriter writer, TimeProvider clock)
    {
        var ct = request.HttpContext.RequestAborted;
        if (await tenants.FindByNotificationSecretAsync(secret, ct) is not { } tenant) return TypedResults.NotFound();

        var received = await UisRequestFields.ReadAsync(request, ct);
        var now = clock.GetUtcNow();
        var parsed = UisNotification.Parse(received.Fields, now);
        if (parsed.Command is null)
        {
            await bus.InvokeForTenantAsync(tenant, new RecordRejectedNotification(
                Guid.CreateVersion7(now), now, request.Method, received.Query, received.Body, parsed.Error!), ct);
            return TypedResults.Problem(statusCode: 400, title: "Notification not understood", detail: parsed.Error);
        }

        await writer.RecordAsync(tenant, parsed.Command);
        return TypedResults.Ok(new { ok = true });
    }
}
