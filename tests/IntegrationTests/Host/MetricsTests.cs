using System.Text.RegularExpressions;
using Alba;
using IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationTests.Host;

[Collection(AppCollection.Name)]
public sealed class MetricsTests(AppFixture app)
{
    private async Task<string> ScrapeAsync() => await (await app.Host.Server.CreateClient().GetAsync("/metrics")).Content.ReadAsStringAsync();

    private static double Value(string scrape, string series) =>
        Regex.Matches(scrape, "^" + Regex.Escape(series) + @"(?:\{[^}]*\})? ([0-9.e+]+)", RegexOptions.Multiline)
            .Sum(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task Notifications_routing_decisions_and_their_latency_are_counted_at_metrics()
    {
        var tenant = await app.Host.CreateTenantAsync();
        var before = await ScrapeAsync();
        await app.Host.NotifyAsync(tenant, Scenarios.IncomingStart(Scenarios.NewSession()));
        await app.Host.NotifyAsync(tenant, "event=call_start&call_hash=abc", expectedStatus: 400);
        await app.Host.Scenario(s =>
        {
            s.Get.Url($"{tenant.HookPath}?event=redirect_incoming&numa=79260000098");
            s.StatusCodeShouldBe(404);
        });
        var after = await ScrapeAsync();

        foreach (var series in new[] { "envycrm_uis_notifications_total", "envycrm_routing_decisions_total", "envycrm_routing_duration_milliseconds_count" })
            Value(after, series).Should().BeGreaterThan(Value(before, series), series);
        after.Should().MatchRegex(@"envycrm_uis_notifications_total\{[^}]*outcome=""rejected""");
        after.Should().MatchRegex(@"envycrm_routing_decisions_total\{[^}]*outcome=""fell-back""[^}]*reason=""routing-off""");
    }

    [Fact]
    public async Task The_runtimes_own_counters_garbage_collector_and_thread_pool_are_at_metrics()
    {
        var scrape = await ScrapeAsync();

        Value(scrape, "dotnet_gc_heap_total_allocated_bytes_total").Should().BeGreaterThan(0);
        scrape.Should().Contain("dotnet_thread_pool_thread_count");
    }

    [Fact]
    public void Kestrel_runs_requests_on_the_thread_that_read_them_unless_switched_off()
    {
        app.Host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions>>()
            .Value.UnsafePreferInlineScheduling.Should().BeTrue();
    }

    [Fact]
    public async Task Each_projections_lag_is_a_gauge_that_grows_while_the_daemon_is_behind()
    {
        var tenant = await app.Host.CreateTenantAsync();
        var daemon = app.Host.Services.GetRequiredService<Marten.Events.Daemon.Coordination.IProjectionCoordinator>().DaemonForMainDatabase();
        string Lag(string scrape, string projection) =>
            Regex.Match(scrape, $@"^envycrm_projections_lag_events\{{[^}}]*projection=""{projection}""[^}}]*\}} ([0-9.e+]+)", RegexOptions.Multiline).Groups[1].Value;

        await daemon.StopAgentAsync("CallsPerHour:All");
        try
        {
            await app.Host.NotifyAsync(tenant, Scenarios.End(Scenarios.NewSession(), talk: 3));
            var behind = await Eventually.Async(ScrapeAsync, s => Lag(s, "CallsPerHour") is not ("" or "0"));
            Lag(behind, "CallHistoryEntry").Should().Be("0", "an inline projection is never behind");
        }
        finally
        {
            await daemon.StartAgentAsync("CallsPerHour:All", CancellationToken.None);
        }
        await Eventually.Async(ScrapeAsync, s => Lag(s, "CallsPerHour") == "0");
    }
}
