using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Alba;
using IntegrationTests.Infrastructure;
using UisSimulator;

namespace IntegrationTests.Calls;

/// <summary>Click-to-call through UIS's Call API (issue 5), against the UIS simulator over real HTTP.</summary>
[Collection(AppCollection.Name)]
public sealed class ClickToCallTests(AppFixture app)
{
    private const string Line = "74993720692";

    private Task<(Scenarios.TestTenant Tenant, long UisEmployeeId)> ConnectedTenantAsync() => app.Host.CreateTenantConnectedToUisAsync(app.Uis.State);

    private Task Put(Scenarios.TestTenant tenant, string url, object body) => app.Host.PutAsAdminAsync(tenant, url, body);

    private async Task<(int Status, JsonElement Body, HttpResponseMessage Response)> ClickAsync(Scenarios.TestTenant tenant, object body, string? token = null)
    {
        using var client = app.Host.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token ?? tenant.EmployeeToken(7));
        var response = await client.PostAsJsonAsync("/api/calls/outgoing", body);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    private StartedCall StartedWith(Guid externalId) =>
        app.Uis.State.StartedCalls.Single(c => c.Params.TryGetValue("external_id", out var e) && e.GetString() == externalId.ToString());

    [Fact]
    public async Task A_click_makes_UIS_ring_the_employee_then_the_client_and_the_history_shows_one_answered_call()
    {
        var (tenant, uisEmployeeId) = await ConnectedTenantAsync();

        var (status, body, _) = await ClickAsync(tenant, new { phone = "8 (926) 000-00-01" });
        status.Should().Be(202, body.ToString());
        var callId = body.GetProperty("callId").GetGuid();
        var session = body.GetProperty("uisCallSessionId").GetInt64();
        callId.Should().Be(global::Calls.Call.IdForUisSession(session));

        var started = app.Uis.State.StartedCalls.Single(c => c.CallSessionId == session);
        started.Method.Should().Be("start.employee_call");
        started.Params.Keys.Should().BeEquivalentTo("access_token", "first_call", "direction", "virtual_phone_number", "contact", "employee", "external_id");
        started.Params["first_call"].GetString().Should().Be("employee");
        started.Params["direction"].GetString().Should().Be("out");
        started.Params["virtual_phone_number"].GetString().Should().Be(Line);
        started.Params["contact"].GetString().Should().Be("79260000001");
        started.Params["employee"].GetProperty("id").GetInt64().Should().Be(uisEmployeeId);
        started.Params["employee"].GetProperty("phone_number").GetString().Should().Be("79160000007");

        var history = await app.Host.GetJsonAsync<CallPage>("/api/calls", tenant.AdminToken);
        history.Items.Should().ContainSingle("the request's own row gives way to the call's").Which.Should().Match<CallView>(c =>
            c.Id == callId && c.StartedFromCrm && c.Status == "in-progress" && c.EmployeeId == 7 && c.ClientPhone == "+79260000001" && c.Direction == "out");

        // UIS then reports the call as it goes, to the same call.
        await app.Host.NotifyAsync(tenant, Scenarios.OutgoingStart(session, employee: "79160000007", client: "79260000001"));
        await app.Host.NotifyAsync(tenant, Scenarios.End(session, direction: "out", talk: 42, employee: "79160000007", client: "79260000001"));
        var after = await app.Host.GetJsonAsync<CallPage>("/api/calls", tenant.AdminToken);
        after.Items.Should().ContainSingle().Which.Should().Match<CallView>(c =>
            c.Id == callId && c.StartedFromCrm && c.Status == "answered" && c.TalkSeconds == 42 && c.EmployeeId == 7 && c.UisCallSessionId == session);
    }

    [Fact]
    public async Task A_notification_that_overtakes_UIS_answer_still_makes_one_call()
    {
        var (tenant, _) = await ConnectedTenantAsync();
        app.Uis.State.BeforeAnswer = started =>
            app.Host.NotifyAsync(tenant, Scenarios.OutgoingStart(started.CallSessionId, employee: "79160000007", client: "79260000002"));
        try
        {
            var (status, body, _) = await ClickAsync(tenant, new { phone = "+7 926 000-00-02" });
            status.Should().Be(202);
            var history = await app.Host.GetJsonAsync<CallPage>("/api/calls", tenant.AdminToken);
            history.Items.Should().ContainSingle().Which.Should().Match<CallView>(c =>
                c.Id == body.GetProperty("callId").GetGuid() && c.StartedFromCrm && c.EmployeeId == 7 && c.EmployeeNumber == "79160000007");
        }
        finally
        {
            app.Uis.State.BeforeAnswer = null;
        }
    }

    [Theory]
    [InlineData("ip_not_whitelisted", 502, "whitelist")]
    [InlineData("access_token_invalid", 502, "API key")]
    [InlineData("access_token_expired", 502, "API key")]
    [InlineData("access_token_blocked", 502, "API key")]
    [InlineData("employee_not_found", 422, "employee")]
    [InlineData("no_active_phone_number", 422, "employee")]
    [InlineData("contact_in_blacklist", 422, "blacklist")]
    [InlineData("limit_exceeded", 429, "17 s")]
    [InlineData("internal_error", 502, "internal_error")]
    public async Task Each_UIS_error_is_explained_and_the_failed_call_is_recorded(string mnemonic, int status, string explained)
    {
        var (tenant, _) = await ConnectedTenantAsync();
        app.Uis.State.NextErrors.Enqueue(mnemonic);

        var (answered, body, response) = await ClickAsync(tenant, new { phone = "89260000003" });
        answered.Should().Be(status);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        body.GetProperty("mnemonic").GetString().Should().Be(mnemonic);
        (body.GetProperty("title").GetString() + " " + body.GetProperty("detail").GetString()).Should().Contain(explained);
        if (mnemonic == "limit_exceeded") response.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(17));

        var history = await app.Host.GetJsonAsync<CallPage>("/api/calls", tenant.AdminToken);
        history.Items.Should().ContainSingle().Which.Should().Match<CallView>(c =>
            c.Id == body.GetProperty("callId").GetGuid() && c.Status == "failed" && c.FailureReason == mnemonic && c.StartedFromCrm);
    }

    [Fact]
    public async Task A_UIS_that_does_not_answer_in_time_is_not_asked_again()
    {
        var (tenant, _) = await ConnectedTenantAsync();
        app.Uis.State.AnswerDelay = TimeSpan.FromSeconds(AppFixture.CallApiTimeoutSeconds + 1);
        try
        {
            var (status, body, _) = await ClickAsync(tenant, new { phone = "89260000004" });
            status.Should().Be(504);
            body.GetProperty("mnemonic").GetString().Should().Be("uis-timeout");
            var requestId = body.GetProperty("callId").GetGuid();

            // UIS got the request and (late) placed the call: exactly once.
            await Eventually.Async(() => Task.FromResult(app.Uis.State.StartedCalls.Count(c =>
                c.Params.TryGetValue("external_id", out var e) && e.GetString() == requestId.ToString())), n => n == 1);
            await Task.Delay(TimeSpan.FromSeconds(AppFixture.CallApiTimeoutSeconds + 1.5));
            StartedWith(requestId).Should().NotBeNull("and no second request followed");
            var history = await app.Host.GetJsonAsync<CallPage>("/api/calls", tenant.AdminToken);
            history.Items.Should().ContainSingle().Which.Should().Match<CallView>(c => c.Id == requestId && c.Status == "unknown");
            app.Logs.Lines.Should().Contain(l => l.StartsWith("Warning") && l.Contains(requestId.ToString()) && l.Contains($"TenantId={tenant.Id}"),
                "the warning carries the tenant of the request's token");
        }
        finally
        {
            app.Uis.State.AnswerDelay = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task What_cannot_be_dialled_is_refused_before_UIS_is_asked()
    {
        var (tenant, _) = await ConnectedTenantAsync();
        var before = app.Uis.State.StartedCalls.Count;

        (await ClickAsync(tenant, new { phone = "anonymous" })).Status.Should().Be(400);
        (await ClickAsync(tenant, new { phone = "89260000005", lineNumber = "+74950000000" })).Body.GetProperty("reason").GetString().Should().Be("line-not-found");
        (await ClickAsync(tenant, new { phone = "89260000005" }, tenant.EmployeeToken(8))).Body.GetProperty("reason").GetString().Should().Be("employee-not-found");
        (await ClickAsync(tenant, new { phone = "89260000005", employeeId = 7 }, tenant.EmployeeToken(8))).Status.Should().Be(403);
        await Put(tenant, "/api/settings/employees/9", new { fullName = "Без UIS", phones = new[] { "+79160000009" } });
        var noUisId = await ClickAsync(tenant, new { phone = "89260000005" }, tenant.EmployeeToken(9));
        (noUisId.Status, noUisId.Body.GetProperty("reason").GetString()).Should().Be((422, "employee-without-uis-id"));

        var unconnected = await app.Host.CreateTenantAsync();
        await Put(unconnected, "/api/settings/lines", new { lines = new[] { "+" + Line } });
        await Put(unconnected, "/api/settings/employees/7", new { fullName = "Менеджер", uisEmployeeId = 1, phones = new[] { "+79160000007" } });
        (await ClickAsync(unconnected, new { phone = "89260000005" })).Body.GetProperty("reason").GetString().Should().Be("uis-not-connected");

        app.Uis.State.StartedCalls.Count.Should().Be(before, "UIS was never asked");
        (await ClickAsync(tenant, new { phone = "89260000005", employeeId = 7 }, tenant.AdminToken)).Status.Should().Be(202, "an admin may place a call for an employee");
    }

    [Fact]
    public async Task UIS_per_minute_limit_answers_429_with_the_seconds_until_it_resets()
    {
        var (tenant, _) = await ConnectedTenantAsync();
        app.Uis.State.CallsPerMinute = 0;
        try
        {
            var (status, body, response) = await ClickAsync(tenant, new { phone = "89260000006" });
            status.Should().Be(429);
            body.GetProperty("mnemonic").GetString().Should().Be("limit_exceeded");
            response.Headers.RetryAfter!.Delta!.Value.TotalSeconds.Should().BeInRange(1, 60);
        }
        finally
        {
            app.Uis.State.CallsPerMinute = 1000;
        }
    }
}
