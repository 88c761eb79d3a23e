using System.Net;
using Host;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IntegrationTests.Host;

/// <summary>
/// The fast lane of ADR 15 on a real Kestrel and real sockets (the in-memory test server has none): a routing
/// request runs on the runtime's socket event thread, anything else on the thread pool, whatever came before it
/// on the same kept-alive connection.
/// </summary>
public sealed class RoutingOnTheSocketThreadTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ConfigureEndpointDefaults(listen => listen.ReadNewConnectionsOnTheSocketThread());
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        _app = builder.Build();
        _app.UseSocketThreadOnlyForRouting();
        // Answers which kind of thread ran it: the socket event thread is the runtime's own, not a thread-pool thread.
        RequestDelegate where = context => context.Response.WriteAsync(Thread.CurrentThread.IsThreadPoolThread ? "thread pool" : "socket thread");
        _app.MapGet("/hook/uis", where);
        _app.MapGet("/hook/uis/{secret}", where);
        _app.MapPost("/hook/uis/{secret}", where);
        _app.MapGet("/api/calls", where);
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.Single()) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    private Task<string> WhereAsync(string url) => _http.GetStringAsync(url);

    [Fact]
    public async Task Routing_requests_on_a_kept_alive_connection_are_answered_on_the_socket_thread()
    {
        RoutingOnTheSocketThread.Available.Should().BeTrue("the runtime still has the per-socket switch (else the lane is off, as it says)");

        // The first request of a connection is often read by the thread pool thread that started it (the data was
        // already there); the connection's next reads wait for the event thread.
        await WhereAsync("/hook/uis?event=redirect_incoming&numa=79161234560");
        (await WhereAsync("/hook/uis?event=redirect_incoming&numa=79161234567")).Should().Be("socket thread");
        (await WhereAsync("/hook/uis/secret123?event=%22redirect_incoming%22&numa=79161234567")).Should().Be("socket thread");
    }

    [Fact]
    public async Task Every_other_request_leaves_the_socket_thread_before_its_code_runs_and_routing_comes_back_to_it()
    {
        await WhereAsync("/hook/uis?event=redirect_incoming&numa=79161234560");
        (await WhereAsync("/hook/uis?event=redirect_incoming&numa=79161234567")).Should().Be("socket thread");
        (await WhereAsync("/api/calls")).Should().Be("thread pool");
        (await WhereAsync("/hook/uis/secret123?event=call_start")).Should().Be("thread pool");
        using (var notification = await _http.PostAsync("/hook/uis/secret123", new FormUrlEncodedContent([new("event", "redirect_incoming")])))
            (await notification.Content.ReadAsStringAsync()).Should().Be("thread pool", "a routing request recognised only from its body takes the ordinary way");

        (await WhereAsync("/hook/uis?event=redirect_incoming&numa=79161234567")).Should().Be("socket thread");
        (await WhereAsync("/api/calls")).Should().Be("thread pool");
    }
}
