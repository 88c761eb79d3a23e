using System.Text.RegularExpressions;
using Alba;
using IntegrationTests.Infrastructure;

namespace IntegrationTests.Host;

[Collection(AppCollection.Name)]
public sealed class LoggingTests(AppFixture app)
{
    [Fact]
    public async Task A_line_logged_for_a_UIS_request_carries_the_tenant_and_the_call_session()
    {
        var tenant = await app.Host.CreateTenantAsync();
        var session = Scenarios.NewSession();

        await app.Host.NotifyAsync(tenant, $"event=call_transferred&call_hash={session}", expectedStatus: 400);

        app.Logs.Lines.Should().Contain(l => l.StartsWith("Warning") && l.Contains("UIS notification rejected")
            && l.Contains($"TenantId={tenant.Id}") && l.Contains($"UisCallSessionId={session}"));
    }

    [Fact]
    public async Task No_full_phone_number_is_logged_at_information_or_above()
    {
        var tenant = await app.Host.CreateTenantAsync();
        await app.Host.PutEmployeeAsync(tenant, 7, "+79165550007");
        const string caller = "79035551234";
        var session = Scenarios.NewSession();
        await app.Host.Scenario(s =>
        {
            s.Get.Url($"{tenant.HookPath}?event=redirect_incoming&numa={caller}&call_session_id={session}");
            s.StatusCodeShouldBe(404);
        });
        await app.Host.NotifyAsync(tenant, Scenarios.IncomingStart(session, client: caller));
        await app.Host.NotifyAsync(tenant, Scenarios.End(session, talk: 0, client: caller));
        await app.Host.NotifyAsync(tenant, $"event=call_start&client_number={caller}&call_hash=bad", expectedStatus: 400);
        await Eventually.Async(() => app.Host.GetJsonAsync<System.Text.Json.JsonElement>($"/api/clients?phone={caller}", tenant.EmployeeToken(7)),
            found => found.GetProperty("items").GetArrayLength() == 1);

        var number = new Regex("(?<![0-9])(7|8)?" + caller[1..] + "(?![0-9])");
        var logged = app.Logs.Lines.Where(l => !l.StartsWith("Debug") && !l.StartsWith("Trace")).ToList();
        logged.Should().NotContain(l => number.IsMatch(l), "a caller's number is personal data");
        logged.Should().NotContain(l => l.Contains("9165550007"));
    }
}
