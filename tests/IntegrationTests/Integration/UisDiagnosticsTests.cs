using System.Text.Json;
using Alba;
using IntegrationTests.Infrastructure;

namespace IntegrationTests.Integration;

/// <summary>The setup diagnostics: every warning of issue 7, each from a crafted request.</summary>
[Collection(AppCollection.Name)]
public sealed class UisDiagnosticsTests(AppFixture app)
{
    [Fact]
    public async Task Each_setup_mistake_shows_as_a_warning_on_the_request_that_revealed_it()
    {
        var tenant = await app.Host.CreateTenantAsync();
        await app.Host.PutAsAdminAsync(tenant, "/api/settings/lines", new { lines = new[] { "+74993720692" } });
        await app.Host.PutEmployeeAsync(tenant, 7, "+79160000007");

        await app.Host.NotifyAsync(tenant, Scenarios.End(Scenarios.NewSession())); // extension={{employee_phone_number}}
        await app.Host.NotifyAsync(tenant, Scenarios.OutgoingStart(Scenarios.NewSession(), employee: "105"));
        await app.Host.NotifyAsync(tenant, Scenarios.OutgoingStart(Scenarios.NewSession(), employee: "79169999999", line: "74950000000"));
        await app.Host.NotifyAsync(tenant, $"event=call_start&direction=%22in%22&line_number=74993720692&call_hash={Scenarios.NewSession()}");
        await app.Host.Scenario(s =>
        {
            s.Get.Url($"{tenant.HookPath}?event=redirect_incoming&numa=79260000001");
            s.StatusCodeShouldBe(404);
        });
        await app.Host.NotifyAsync(tenant, Scenarios.OutgoingStart(Scenarios.NewSession(), employee: "79160000007"));

        // Each request is remembered once its answer has gone out.
        var diagnosed = await Eventually.Async(() => app.Host.GetJsonAsync<List<JsonElement>>("/api/settings/uis/diagnostics", tenant.AdminToken),
            d => d.Count == 6);
        string[] Warnings(int newestFirst) => diagnosed[newestFirst].GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToArray();
        Warnings(0).Should().BeEmpty("a notification as the setup guide has it");
        Warnings(1).Should().ContainSingle(w => w.Contains("answered 404") && w.Contains("routing-off"));
        Warnings(2).Should().ContainSingle(w => w.Contains("\"client_number\" is missing"));
        Warnings(3).Should().Contain(w => w.Contains("+79169999999") && w.Contains("not in the employee directory"))
            .And.Contain(w => w.Contains("+74950000000") && w.Contains("not one of the account's lines"));
        Warnings(4).Should().ContainSingle(w => w.Contains("\"105\" is a short extension"));
        Warnings(5).Should().ContainSingle(w => w.Contains("literal {{employee_phone_number}}"));
        diagnosed[0].GetProperty("understood").GetProperty("employee").GetString().Should().Be("+79160000007");

        var other = await app.Host.CreateTenantAsync();
        (await app.Host.GetJsonAsync<List<JsonElement>>("/api/settings/uis/diagnostics", other.AdminToken)).Should().BeEmpty();
    }
}
