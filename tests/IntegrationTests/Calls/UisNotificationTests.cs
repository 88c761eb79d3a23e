using System.Net;
using System.Text;
using System.Text.Json;
using Alba;
using IntegrationTests.Infrastructure;
using Marten;

namespace IntegrationTests.Calls;

[Collection(AppCollection.Name)]
public sealed class UisNotificationTests(AppFixture app)
{
    private Task<CallView> CallAsync(Scenarios.TestTenant tenant, long session) =>
        app.Host.GetJsonAsync<CallPage>("/api/calls", tenant.AdminToken)
            .ContinueWith(page => page.Result.Items.Single(c => c.UisCallSessionId == session));

    private async Task<IReadOnlyList<string>> EventTypesAsync(Scenarios.TestTenant tenant, long session)
    {
        await using var query = app.Store.QuerySession(tenant.Id);
        var call = await CallAsync(tenant, session);
        // Without the recordings' archive outcomes, which follow on their own (RecordingTests).
        return (await query.Events.FetchStreamAsync(call.Id)).Select(e => e.EventTypeName)
            .Where(type => type == "call_recordings_attached" || !type.StartsWith("call_recording_", StringComparison.Ordinal)).ToList();
    }

    [Fact]
    public async Task An_incoming_call_rendered_the_uis_way_lands_in_the_history()
    {
        var tenant = await app.Host.CreateTenantAsync();
        var session = Scenarios.NewSession();
        var response = await app.Host.NotifyAsync(tenant, Scenarios.IncomingStart(session));
        (await response.ReadAsJsonAsync<JsonElement>()).GetProperty("ok").GetBoolean().Should().BeTrue();

        var call = await CallAsync(tenant, session);
        call.Direction.Should().Be("in");
        call.LineNumber.Should().Be("+74993720692");
        call.ClientPhone.Should().Be("+79508418541");
        call.ClientPhoneRaw.Should().Be("79508418541");
        call.Status.Should().Be("in-progress");
        call.EndedAt.Should().BeNull();
        (await app.Host.GetJsonAsync<CallView>($"/api/calls/{call.Id}", tenant.EmployeeToken(2))).Should().BeEquivalentTo(call, o => o.Excluding(c => c.ClientId), "the same row by id as in the list (Leads links the card meanwhile)");
    }

    [Fact]
    public async Task Quirks_of_rendering_are_survived_doubled_quotes_line_breaks_in_names_and_a_pasted_query_string()
    {
        var tenant = await app.Host.CreateTenantAsync();
        var session = Scenarios.NewSession();
        var query = $"from=crm?event=%22call_end%22%0A&%0Adirection=%22%22in%22%22&%0A line_number=%2274993720692%22" +
                    $"&%0Aclient_number=%22%2B7%20(950)%20841-85-41%22&%0Aextension=null&%0Acall_hash=%22{session}%22" +
                    "&%0Atalk_time_duration=0&%0Arecord_links={{record_file_links}}";
        var response = await app.Host.Server.CreateClient().GetAsync($"{tenant.HookPath}?{query}");
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());

        var call = await CallAsync(tenant, session);
        call.Direction.Should().Be("in");
        call.ClientPhone.Should().Be("+79508418541");
        call.LineNumber.Should().Be("+74993720692");
        call.EmployeeNumber.Should().BeNull();
        call.Status.Should().Be("missed");
        call.RecordingCount.Should().Be(0);
    }

    [Fact]
    public async Task Posts_are_accepted_with_a_form_body_a_json_body_or_the_query_string()
    {
        var tenant = await app.Host.CreateTenantAsync();
        var formSession = Scenarios.NewSession();
        await app.Host.Scenario(s =>
        {
            s.Post.Text(Scenarios.End(formSession, talk: 30, recordLinks: "[\"https://app.uiscom.ru/system/media/talk/1/a/\"]").Replace("&", "\n&"))
                .ToUrl(tenant.HookPath);
            s.WithRequestHeader("Content-Type", "application/x-www-form-urlencoded");
            s.StatusCodeShouldBeOk();
        });
        var jsonSession = Scenarios.NewSession();
        await app.Host.Scenario(s =>
        {
            s.Post.Json(new Dictionary<string, object?>
            {
                ["event"] = "call_end", ["direction"] = "\"out\"", ["line_number"] = 74993720692L, ["client_number"] = "79508418541",
                ["extension"] = "{{employee_phone_number}}", ["call_hash"] = jsonSession, ["talk_time_duration"] = 0,
                ["record_links"] = new[] { "https://media.uiscom.ru/1/a", "https://media.uiscom.ru/1/b" },
            }).ToUrl(tenant.HookPath);
            s.StatusCodeShouldBeOk();
        });

        var querySession = Scenarios.NewSession();
        await app.Host.Scenario(s =>
        {
            s.Post.Url($"{tenant.HookPath}?{Scenarios.IncomingStart(querySession)}");
            s.StatusCodeShouldBeOk();
        });
        (await CallAsync(tenant, querySession)).Status.Should().Be("in-progress");

        var form = await CallAsync(tenant, formSession);
        form.Status.Should().Be("answered");
        form.TalkSeconds.Should().Be(30);
        form.RecordingCount.Should().Be(1);
        var json = await CallAsync(tenant, jsonSession);
        json.Direction.Should().Be("out");
        json.Status.Should().Be("unanswered");
        json.RecordingCount.Should().Be(2);
    }

    [Fact]
    public async Task The_same_notification_repeated_yields_one_call_and_no_duplicate_events()
    {
        var tenant = await app.Host.CreateTenantAsync();
        var session = Scenarios.NewSession();
        for (var i = 0; i < 3; i++)
        {
            await app.Host.NotifyAsync(tenant, Scenarios.IncomingStart(session));
            await app.Host.NotifyAsync(tenant, Scenarios.End(session, recordLinks: "[\"https://media.uiscom.ru/1/a\"]"));
        }
        (await EventTypesAsync(tenant, session)).Should().Equal("call_started", "call_ended", "call_recordings_attached");
        (await app.Host.GetJsonAsync<CallPage>("/api/calls", tenant.AdminToken)).Items.Should().ContainSingle();
    }

    [Fact]
    public async Task Twenty_identical_notifications_at_once_yield_one_call()
    {
        var tenant = await app.Host.CreateTenantAsync();
        var session = Scenarios.NewSession();
        var client = app.Host.Server.CreateClient();
        var responses = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(_ => client.GetAsync($"{tenant.HookPath}?{Scenarios.IncomingStart(session)}")));
        responses.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.OK);

        responses = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(_ => client.GetAsync($"{tenant.HookPath}?{Scenarios.End(session, talk: 5)}")));
        responses.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.OK);

        (await EventTypesAsync(tenant, session)).Should().Equal("call_started", "call_ended");
    }

    [Fact]
    public async Task The_end_before_the_start_yields_the_same_call_as_the_usual_order()
    {
        var tenant = await app.Host.CreateTenantAsync();
        await app.Host.PutEmployeeAsync(tenant, 7, "+79161234567");
        var usual = Scenarios.NewSession();
        var reversed = Scenarios.NewSession();
        await app.Host.NotifyAsync(tenant, Scenarios.OutgoingStart(usual, "79161234567"));
        await app.Host.NotifyAsync(tenant, Scenarios.End(usual, "out", 40, "79161234567", recordLinks: "[\"https://media.uiscom.ru/1/a\"]"));
        await app.Host.NotifyAsync(tenant, Scenarios.End(reversed, "out", 40, "79161234567", recordLinks: "[\"https://media.uiscom.ru/1/a\"]"));
        await app.Host.NotifyAsync(tenant, Scenarios.OutgoingStart(reversed, "79161234567"));

        var a = await CallAsync(tenant, usual);
        var b = await CallAsync(tenant, reversed);
        b.Should().BeEquivalentTo(a, o => o.Excluding(c => c.Id).Excluding(c => c.UisCallSessionId)
            .Excluding(c => c.StartedAt).Excluding(c => c.EndedAt).Excluding(c => c.Recordings));
        b.Recordings.Select(r => r.N).Should().Equal(a.Recordings.Select(r => r.N));
        a.Status.Should().Be("answered");
        a.EmployeeId.Should().Be(7);
        b.StartedAt.Should().BeOnOrBefore(b.EndedAt!.Value);
        (await EventTypesAsync(tenant, reversed)).Should().BeEquivalentTo(await EventTypesAsync(tenant, usual));
    }

    [Fact]
    public async Task A_later_end_notification_with_more_recordings_adds_only_the_new_ones()
    {
        var tenant = await app.Host.CreateTenantAsync();
        var session = Scenarios.NewSession();
        await app.Host.NotifyAsync(tenant, Scenarios.End(session, recordLinks: "[\"https://media.uiscom.ru/1/a\"]"));
        await app.Host.NotifyAsync(tenant, Scenarios.End(session, recordLinks: "https://media.uiscom.ru/1/a, https://media.uiscom.ru/1/b"));
        (await CallAsync(tenant, session)).RecordingCount.Should().Be(2);
    }

    [Fact]
    public async Task An_unknown_secret_is_not_found_and_nothing_is_stored()
    {
        var session = Scenarios.NewSession();
        await app.Host.Scenario(s =>
        {
            s.Get.Url($"/hook/uis/not-a-secret-{Guid.NewGuid():N}?{Scenarios.IncomingStart(session)}");
            s.StatusCodeShouldBe(404);
        });
        (await CountEventsAsync(global::Calls.Call.IdForUisSession(session))).Should().Be(0);
    }

    [Theory]
    [InlineData("event=call_start&direction=%22in%22&client_number=79508418541", "call_hash")]
    [InlineData("event=call_start&direction=%22in%22&call_hash={{call_session_id}}", "call_hash")]
    [InlineData("event=call_start&call_hash=abc", "call_hash")]
    [InlineData("event=call_transfer&call_hash=12345678901", "call_transfer")]
    [InlineData("call_hash=12345678901", "event")]
    public async Task Bad_input_is_a_problem_and_kept_in_the_rejected_log(string query, string explained)
    {
        var tenant = await app.Host.CreateTenantAsync();
        var result = await app.Host.NotifyAsync(tenant, query, expectedStatus: 400);
        result.Context.Response.ContentType.Should().StartWith("application/problem+json");
        (await result.ReadAsTextAsync()).Should().Contain(explained);

        var rejected = await app.Host.GetJsonAsync<JsonElement>("/api/settings/uis/rejected-notifications", tenant.AdminToken);
        rejected.GetArrayLength().Should().Be(1);
        Uri.UnescapeDataString(rejected[0].GetProperty("query").GetString()!).Should().Be("?" + Uri.UnescapeDataString(query));
        rejected[0].GetProperty("reason").GetString().Should().Contain(explained);
        (await app.Host.GetJsonAsync<CallPage>("/api/calls", tenant.AdminToken)).Items.Should().BeEmpty();
    }

    [Fact]
    public async Task The_rejected_log_keeps_the_last_hundred()
    {
        var tenant = await app.Host.CreateTenantAsync();
        for (var i = 0; i < 103; i++) await app.Host.NotifyAsync(tenant, $"event=nope{i}&call_hash=1", expectedStatus: 400);
        var rejected = await app.Host.GetJsonAsync<JsonElement>("/api/settings/uis/rejected-notifications", tenant.AdminToken);
        rejected.GetArrayLength().Should().Be(100);
        rejected[0].GetProperty("query").GetString().Should().Contain("nope102");
        await using var query = app.Store.QuerySession(tenant.Id);
        (await query.Query<global::Calls.Uis.RejectedUisNotification>().CountAsync()).Should().Be(100);
    }

    [Fact]
    public async Task A_phone_that_is_not_a_number_is_kept_raw_and_flagged()
    {
        var tenant = await app.Host.CreateTenantAsync();
        var session = Scenarios.NewSession();
        await app.Host.NotifyAsync(tenant, Scenarios.IncomingStart(session, client: "anonymous"));
        var call = await CallAsync(tenant, session);
        call.ClientPhone.Should().BeNull();
        call.ClientPhoneRaw.Should().Be("anonymous");
        call.ClientPhoneUnrecognised.Should().BeTrue();
    }

    [Fact]
    public async Task The_employee_is_matched_from_the_directory_by_the_number_uis_reported()
    {
        var tenant = await app.Host.CreateTenantAsync();
        await app.Host.PutEmployeeAsync(tenant, 7, "+7 916 123-45-67", "sip:ivanov@acme");
        var byPhone = Scenarios.NewSession();
        var bySip = Scenarios.NewSession();
        var unknown = Scenarios.NewSession();
        await app.Host.NotifyAsync(tenant, Scenarios.End(byPhone, employee: "\"79161234567\""));
        await app.Host.NotifyAsync(tenant, Scenarios.End(bySip, employee: "ivanov@acme"));
        await app.Host.NotifyAsync(tenant, Scenarios.End(unknown, employee: "79990000000"));

        (await CallAsync(tenant, byPhone)).EmployeeId.Should().Be(7);
        (await CallAsync(tenant, bySip)).EmployeeId.Should().Be(7);
        var other = await CallAsync(tenant, unknown);
        other.EmployeeId.Should().BeNull();
        other.EmployeeNumber.Should().Be("79990000000");
    }

    private async Task<long> CountEventsAsync(Guid stream)
    {
        await using var connection = new Npgsql.NpgsqlConnection(Environment.GetEnvironmentVariable("ConnectionStrings__Postgres"));
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("select count(*) from envycrm.mt_events where stream_id = $1", connection)
        {
            Parameters = { new() { Value = stream } },
        };
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
