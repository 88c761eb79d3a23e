using System.Net.Http.Json;
using System.Text.Json;
using Alba;
using IntegrationTests.Infrastructure;

namespace IntegrationTests.Integration;

/// <summary>The setup page: what to paste into UIS, and the checklist of what has been done and seen.</summary>
[Collection(AppCollection.Name)]
public sealed class UisSetupTests(AppFixture app)
{
    private Task<JsonElement> SetupAsync(Scenarios.TestTenant tenant) => app.Host.GetJsonAsync<JsonElement>("/api/settings/uis/setup", tenant.AdminToken);

    private static Dictionary<string, bool> Checklist(JsonElement setup) =>
        setup.GetProperty("checklist").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetBoolean());

    [Fact]
    public async Task The_setup_gives_the_link_the_templates_and_the_routing_url_and_ticks_off_each_step()
    {
        var tenant = await app.Host.CreateTenantAsync();
        var fresh = await SetupAsync(tenant);
        fresh.GetProperty("notificationLink").GetString().Should().Be(tenant.NotificationLink);
        fresh.GetProperty("routingUrl").GetString().Should().Be($"https://{tenant.Id}.{AppFixture.RoutingBaseDomain}/hook/uis?event=redirect_incoming");
        var templates = fresh.GetProperty("templates").EnumerateArray().ToList();
        templates.Select(t => t.GetProperty("name").GetString()).Should().Equal("Входящий звонок", "Исходящий звонок", "Завершение звонка");
        templates[2].GetProperty("body").GetString().Should().Contain("&record_links={{record_file_links}}");
        Checklist(fresh).Values.Should().AllBeEquivalentTo(false);

        var (connected, _) = await app.Host.CreateTenantConnectedToUisAsync(app.Uis.State);
        using (var client = app.Host.Server.CreateClient())
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", connected.AdminToken);
            (await client.PostAsync("/api/settings/uis/check", null)).EnsureSuccessStatusCode();
        }
        var session = Scenarios.NewSession();
        await app.Host.NotifyAsync(connected, Scenarios.IncomingStart(session));
        await app.Host.NotifyAsync(connected, Scenarios.End(session));
        var done = Checklist(await SetupAsync(connected));
        done.Should().Contain(new Dictionary<string, bool>
        {
            ["apiKeySet"] = true, ["apiKeyChecked"] = true, ["linesSet"] = true, ["employeesMapped"] = true,
            ["incomingCallSeen"] = true, ["callEndSeen"] = true, ["outgoingCallSeen"] = false, ["routingRequestSeen"] = false,
        });

        await app.Host.NotifyAsync(connected, Scenarios.OutgoingStart(Scenarios.NewSession(), "79160000007"));
        await app.Host.Scenario(s =>
        {
            s.Get.Url($"{connected.HookPath}?event=redirect_incoming&numa=79260000099");
            s.StatusCodeShouldBe(404);
        });
        await Eventually.Async(async () => Checklist(await SetupAsync(connected)), c => c["outgoingCallSeen"] && c["routingRequestSeen"]);
    }
}
