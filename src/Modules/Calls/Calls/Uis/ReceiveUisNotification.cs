using BuildingBlocks.Uis;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Wolverine;

namespace Calls.Uis;

/// <summary>
/// A UIS "HTTP notification" for the tenant of the secret link (the host routes it here by its
/// <c>event</c>). Acknowledged only after its events are stored; a rejected one is kept for the admin.
/// </summary>
public static class ReceiveUisNotification
{
    public static async Task<IResult> AnswerAsync(string tenant, UisRequestFields.Received received, HttpRequest request, IMessageBus bus,
        CallNotificationWriter writer, TimeProvider clock, ILogger logger)
    {
        var now = clock.GetUtcNow();
        var parsed = UisNotification.Parse(received.Fields, now);
        if (parsed.Command is null)
        {
            await bus.InvokeForTenantAsync(tenant, new RecordRejectedNotification(
                Guid.CreateVersion7(now), now, request.Method, received.Query, received.Body, parsed.Error!), request.HttpContext.RequestAborted);
            BuildingBlocks.Telemetry.ServiceMetrics.NotificationReceived(UisValue.Text(received.Fields.GetValueOrDefault("event")), "rejected");
            logger.LogWarning("UIS notification rejected (kept for the admin): {Reason}", parsed.Error);
            return TypedResults.Problem(statusCode: 400, title: "Notification not understood", detail: parsed.Error);
        }

        await writer.RecordAsync(tenant, parsed.Command);
        BuildingBlocks.Telemetry.ServiceMetrics.NotificationReceived(UisValue.Text(received.Fields.GetValueOrDefault("event")), "stored");
        return TypedResults.Ok(new { ok = true });
    }
}
