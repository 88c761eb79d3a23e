using System.Text.Json;
using Alba;
using IntegrationTests.Infrastructure;

namespace IntegrationTests.Integration;

/// <summary>The settings routing to the personal manager will read (issue 4): the switch, the allow-list, the greeting, availability.</summary>
[Collection(AppCollection.Name)]
public sealed class RoutingSettingsTests(AppFixture app)
{
    private Task<IScenarioResult> PutAsync(Scenarios.TestTenant tenant, string url, object body, int status, string? token = null) =>
        app.Host.Scenario(s =>
        {
            s.Put.Json(body).ToUrl(url);
            s.WithBearerToken(token ?? tenant.AdminToken);
            s.StatusCodeShouldBe(status);
        });

    [Fact]
    public async Task Routing_is_off_until_an_admin_switches_it_on_with_sources_and_a_greeting()
    {
        var tenant = await app.Host.CreateTenantAsync();
        var off = await app.Host.GetJsonAsync<JsonElement>("/api/settings/routing", tenant.AdminToken);
        off.GetProperty("enabled").GetBoolean().Should().BeFalse();

        await PutAsync(tenant, "/api/settings/routing",
            new { enabled = true, allowedSources = new[] { "203.0.113.10", " 198.51.100.0/24 " }, greeting = new { text = "Соединяем с вашим менеджером" } }, 200);
        var on = await app.Host.GetJsonAsync<JsonElement>("/api/settings/routing", tenant.AdminToken);
        on.GetProperty("enabled").GetBoolean().Should().BeTrue();
        on.GetProperty("allowedSources").EnumerateArray().Select(e => e.GetString()).Should().Equal("203.0.113.10", "198.51.100.0/24");
        on.GetProperty("greeting").GetProperty("text").GetString().Should().Be("Соединяем с вашим менеджером");

        var other = await app.Host.CreateTenantAsync();
        (await app.Host.GetJsonAsync<JsonElement>("/api/settings/routing", other.AdminToken)).GetProperty("enabled").GetBoolean()
            .Should().BeFalse("another account's switch is its own");
        await PutAsync(tenant, "/api/settings/routing", new { enabled = false }, 403, tenant.EmployeeToken(5));
    }

    [Theory]
    [InlineData("""{"allowedSources":[]}""", "enabled")]
    [InlineData("""{"enabled":true,"allowedSources":["uis.example"]}""", "allowedSources")]
    [InlineData("""{"enabled":true,"greeting":{"messageName":"hello.mp3","text":"Здравствуйте"}}""", "greeting")]
    [InlineData("""{"enabled":true,"greeting":{"text":"  "}}""", "greeting")]
    public async Task Bad_settings_are_refused_field_by_field(string body, string field)
    {
        var tenant = await app.Host.CreateTenantAsync();
        var result = await app.Host.Scenario(s =>
        {
            s.Put.Text(body).ToUrl("/api/settings/routing");
            s.WithRequestHeader("Content-Type", "application/json");
            s.WithBearerToken(tenant.AdminToken);
            s.StatusCodeShouldBe(400);
        });
        (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).Should().BeTrue();
    }

    [Fact]
    public async Task An_employee_can_be_set_unavailable_and_back()
    {
        var tenant = await app.Host.CreateTenantAsync();
        await app.Host.PutEmployeeAsync(tenant, 7, "+79160000007");
        (await app.Host.GetJsonAsync<JsonElement>("/api/settings/employees/7/availability", tenant.EmployeeToken(7)))
            .GetProperty("available").GetBoolean().Should().BeTrue();
        await PutAsync(tenant, "/api/settings/employees/7/availability", new { available = false }, 200);
        (await app.Host.GetJsonAsync<JsonElement>("/api/settings/employees/7/availability", tenant.EmployeeToken(7)))
            .GetProperty("available").GetBoolean().Should().BeFalse();
        await PutAsync(tenant, "/api/settings/employees/99/availability", new { available = false }, 404);
        await PutAsync(tenant, "/api/settings/employees/7/availability", new { }, 400);
    }
}
