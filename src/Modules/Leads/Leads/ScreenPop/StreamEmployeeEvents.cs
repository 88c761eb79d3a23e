using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Threading.Channels;
using BuildingBlocks.EmployeeEvents;
using BuildingBlocks.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Wolverine.Http;

namespace Leads.ScreenPop;

/// <summary>
/// The signed-in employee's screen-pop stream (server-sent events). It opens with <c>ready</c>,
/// sends a <c>heartbeat</c> when idle so proxies keep it open, and ends when the service stops.
/// </summary>
public static class StreamEmployeeEventsEndpoint
{
    public const string Ready = "ready";
    public const string Heartbeat = "heartbeat";

    [WolverineGet("/api/events"), Authorize(Policy = Auth.Employee), Microsoft.AspNetCore.Mvc.Produces("text/event-stream")]
    public static IResult Get(HttpContext context, EmployeeEventHub hub, IHostApplicationLifetime lifetime, IConfiguration configuration)
    {
        var tenant = context.User.FindFirstValue(Auth.TenantClaim)!;
        if (!int.TryParse(context.User.FindFirstValue(Auth.EmployeeClaim), out var employeeId))
            return TypedResults.Problem(statusCode: 403, title: "Not an employee", detail: "The token names no employee of the account.");
        var heartbeat = TimeSpan.FromSeconds(configuration.GetValue("Events:HeartbeatSeconds", 15.0));
        var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        context.Response.RegisterForDispose(ended);
        return TypedResults.ServerSentEvents(StreamAsync(hub, hub.Subscribe(tenant, employeeId), heartbeat, ended.Token));
    }

    private static async IAsyncEnumerable<SseItem<string>> StreamAsync(
        EmployeeEventHub hub, EmployeeEventHub.Subscription subscription, TimeSpan heartbeat, [EnumeratorCancellation] CancellationToken ct)
    {
        using var _ = subscription;
        await hub.Listening.WaitAsync(ct);
        yield return new SseItem<string>($"{{\"employeeId\":{subscription.EmployeeId}}}", Ready);
        while (true)
        {
            var (ended, next) = await NextAsync(subscription.Events, heartbeat, ct);
            if (ended) yield break;
            yield return next is null ? new SseItem<string>("{}", Heartbeat) : new SseItem<string>(next.Data, next.Name);
        }
    }

    /// <summary>The next event; none when the heartbeat is due; ended when the client left or the service stops.</summary>
    private static async Task<(bool Ended, EmployeeEvent? Event)> NextAsync(ChannelReader<EmployeeEvent> events, TimeSpan heartbeat, CancellationToken ct)
    {
        if (events.TryRead(out var ready)) return (false, ready);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(heartbeat);
        try
        {
            if (!await events.WaitToReadAsync(wait.Token)) return (true, null);
            return events.TryRead(out var next) ? (false, next) : (false, null);
        }
        catch (OperationCanceledException)
        {
            return (ct.IsCancellationRequested, null);
        }
    }
}
