using System.Net.Http.Json;
using System.Text.Json;
using Alba;
using IntegrationTests.Infrastructure;
using UisSimulator;

namespace IntegrationTests.Calls;

/// <summary>Calls played by the UIS simulator end to end: its notifications, rendered as UIS renders them, reach the CRM.</summary>
[Collection(AppCollection.Name)]
public sealed class SimulatedCallTests(AppFixture app)
{
    private async Task<Scenarios.TestTenant> TenantAsync() => (await app.Host.CreateTenantConnectedToUisAsync(app.Uis.State)).Tenant;

    private async Task PlayingAsync(Scenarios.TestTenant tenant, Func<Task> test, NotificationFaults? faults = null, bool routing = false)
    {
        app.Uis.State.Crm = new CrmTarget(app.Host.Server.CreateClient(), tenant.HookPath, routing ? $"{tenant.HookPath}?event=redirect_incoming" : null);
        app.Uis.State.Faults = faults ?? new NotificationFaults();
        try
        {
            await test();
        }
        finally
        {
            app.Uis.State.Crm = null;
            app.Uis.State.Faults = new NotificationFaults();
        }
    }

    private Task<CallPage> HistoryWhenAsync(Scenarios.TestTenant tenant, Func<CallPage, bool> done) =>
        Eventually.Async(() => app.Host.GetJsonAsync<CallPage>("/api/calls", tenant.AdminToken), done);

    [Fact]
    public async Task A_click_to_call_played_by_UIS_ends_as_one_answered_call_with_the_employee_talk_time_and_recording()
    {
        var tenant = await TenantAsync();
        await PlayingAsync(tenant, async () =>
        {
            using var client = app.Host.Server.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", tenant.EmployeeToken(7));
            var response = await client.PostAsJsonAsync("/api/calls/outgoing", new { phone = "8 926 000-00-11" });
            var callId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("callId").GetGuid();

            var history = await HistoryWhenAsync(tenant, page => page.Items.Any(c => c.Status != "in-progress"));
            history.Items.Should().ContainSingle().Which.Should().Match<CallView>(c =>
                c.Id == callId && c.Status == "answered" && c.EmployeeId == 7 && c.TalkSeconds == 42 && c.RecordingCount == 1 && c.StartedFromCrm);
            app.Uis.State.Sent.Where(s => s.Query.Contains("call_hash")).Should().OnlyContain(s => s.Status == 200);
        });
    }

    [Fact]
    public async Task An_incoming_call_asks_routing_first_and_rings_the_personal_manager()
    {
        var tenant = await TenantAsync();
        await app.Host.Scenario(s =>
        {
            s.Put.Json(new { enabled = true, allowedSources = Array.Empty<string>() }).ToUrl("/api/settings/routing");
            s.WithBearerToken(tenant.AdminToken);
            s.StatusCodeShouldBeOk();
        });
        await app.Host.Scenario(s =>
        {
            s.Post.Json(new { name = "ООО Клиент", phones = new[] { "+79260000012" }, personalManagerId = 7 }).ToUrl("/api/clients");
            s.WithBearerToken(tenant.AdminToken);
            s.StatusCodeShouldBe(201);
        });
        await PlayingAsync(tenant, async () =>
        {
            using var simulator = new HttpClient { BaseAddress = app.Uis.BaseUri };
            var played = await simulator.PostAsync("/simulator/incoming?from=79260000012", null);
            var session = (await played.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("call_session_id").GetInt64();

            var history = await HistoryWhenAsync(tenant, page => page.Items.Any(c => c.UisCallSessionId == session && c.Status == "answered" && c.Routing is not null));
            history.Items.Single().Should().Match<CallView>(c => c.EmployeeId == 7 && c.Direction == "in" && c.Routing!.Outcome == "routed");
        }, routing: true);
    }

    [Fact]
    public async Task Duplicated_and_reordered_notifications_still_make_one_call()
    {
        var tenant = await TenantAsync();
        await PlayingAsync(tenant, async () =>
        {
            using var simulator = new HttpClient { BaseAddress = app.Uis.BaseUri };
            await simulator.PostAsync("/simulator/incoming?from=79260000013", null);
            var history = await HistoryWhenAsync(tenant, page => page.Items.Count > 0);
            history.Items.Should().ContainSingle().Which.Status.Should().Be("answered");
            app.Uis.State.Sent.Count(s => s.Query.Contains("79260000013")).Should().BeGreaterThanOrEqualTo(4, "each notification was sent twice");
        }, new NotificationFaults(Duplicate: true, EndBeforeStart: true));
    }

    [Fact]
    public void Templates_are_rendered_as_UIS_renders_them()
    {
        var rendered = Playback.Render(Playback.OutgoingStart, new Dictionary<string, object?>
        {
            ["direction"] = "out", ["virtual_phone_number"] = "74993720692", ["contact_phone_number"] = null, ["call_session_id"] = 4821870777,
        });
        rendered.Should().Be("event=call_start%0A&direction=%22out%22%0A&line_number=%2274993720692%22%0A&client_number=null%0A" +
            "&extension=%7B%7Bemployee_phone_number%7D%7D%0A&call_hash=4821870777");
    }
}
