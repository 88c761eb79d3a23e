using System.Net;
using System.Text.Json;
using Alba;
using IntegrationTests.Infrastructure;
using CallStream = global::Calls.Call;

namespace IntegrationTests.Leads;

/// <summary>The screen pop: who gets a call's events on <c>/api/events</c>, and who does not.</summary>
[Collection(AppCollection.Name)]
public sealed class ScreenPopTests(AppFixture app)
{
    private static Func<JsonElement, bool> ForCall(long session) =>
        data => data.GetProperty("callId").GetGuid() == CallStream.IdForUisSession(session);

    private async Task<Guid> RegisterClientAsync(Scenarios.TestTenant tenant, string phone, int? manager)
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { name = "ООО Ромашка", phones = new[] { phone }, personalManagerId = manager }).ToUrl("/api/clients");
            s.WithBearerToken(tenant.AdminToken);
            s.StatusCodeShouldBe(201);
        });
        return (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private Task PutLinesAsync(Scenarios.TestTenant tenant, params string[] lines) =>
        app.Host.Scenario(s =>
        {
            s.Put.Json(new { lines }).ToUrl("/api/settings/lines");
            s.WithBearerToken(tenant.AdminToken);
            s.StatusCodeShouldBeOk();
        });

    private Task AssignLineAsync(Scenarios.TestTenant tenant, string line, params int[] employeeIds) =>
        app.Host.Scenario(s =>
        {
            s.Put.Json(new { employeeIds }).ToUrl($"/api/settings/lines/{line}/employees");
            s.WithBearerToken(tenant.AdminToken);
            s.StatusCodeShouldBeOk();
        });

    [Fact]
    public async Task The_personal_manager_gets_the_card_and_the_end_and_an_unrelated_employee_gets_nothing()
    {
        var tenant = await app.Host.CreateTenantAsync();
        await app.Host.PutEmployeeAsync(tenant, 7, "+79160000007");
        await app.Host.PutEmployeeAsync(tenant, 8, "+79160000008");
        var clientId = await RegisterClientAsync(tenant, "+79261230001", manager: 7);
        await using var manager = await EventStream.OpenAsync(app.Host, tenant.EmployeeToken(7), tokenInQuery: true);
        await using var unrelated = await EventStream.OpenAsync(app.Host, tenant.EmployeeToken(8));

        var session = Scenarios.NewSession();
        await app.Host.NotifyAsync(tenant, Scenarios.IncomingStart(session, client: "79261230001"));
        var pop = (await manager.NextAsync("incoming-call", ForCall(session))).Data;
        pop.GetProperty("phone").GetString().Should().Be("+79261230001");
        pop.GetProperty("line").GetString().Should().Be("+74993720692");
        var card = pop.GetProperty("card");
        card.GetProperty("id").GetGuid().Should().Be(clientId);
        card.GetProperty("kind").GetString().Should().Be("client");
        card.GetProperty("name").GetString().Should().Be("ООО Ромашка");
        card.GetProperty("personalManager").GetProperty("fullName").GetString().Should().Be("Employee 7");
        card.GetProperty("isNewLead").GetBoolean().Should().BeFalse();

        await app.Host.NotifyAsync(tenant, Scenarios.End(session, talk: 30, employee: "79160000007", client: "79261230001"));
        (await manager.NextAsync("call-answered", ForCall(session))).Data.GetProperty("employeeId").GetInt32().Should().Be(7);
        (await manager.NextAsync("call-ended", ForCall(session))).Data.GetProperty("status").GetString().Should().Be("answered");

        // Both streams are fed by the same notification, so by now the unrelated one has had its chance.
        unrelated.All.Select(e => e.Type).Should().OnlyContain(type => type == "ready" || type == "heartbeat");
    }

    [Fact]
    public async Task A_caller_without_a_manager_pops_up_for_the_lines_employees_and_a_new_lead_is_marked_new()
    {
        var tenant = await app.Host.CreateTenantAsync();
        foreach (var id in new[] { 1, 2, 3 }) await app.Host.PutEmployeeAsync(tenant, id, $"+7916000000{id}");
        await PutLinesAsync(tenant, "+74993720692", "+74950000000");
        await AssignLineAsync(tenant, "+74993720692", 1, 2);
        await using var first = await EventStream.OpenAsync(app.Host, tenant.EmployeeToken(1));
        await using var second = await EventStream.OpenAsync(app.Host, tenant.EmployeeToken(2));
        await using var other = await EventStream.OpenAsync(app.Host, tenant.EmployeeToken(3));

        var onAssignedLine = Scenarios.NewSession();
        await app.Host.NotifyAsync(tenant, Scenarios.IncomingStart(onAssignedLine, client: "79261230002"));
        var pop = (await first.NextAsync("incoming-call", ForCall(onAssignedLine))).Data;
        pop.GetProperty("card").GetProperty("kind").GetString().Should().Be("lead");
        pop.GetProperty("card").GetProperty("isNewLead").GetBoolean().Should().BeTrue();
        await second.NextAsync("incoming-call", ForCall(onAssignedLine));

        // A line nobody is assigned to rings everyone: employee 3 hears this one, and so only this one.
        var onFreeLine = Scenarios.NewSession();
        await app.Host.NotifyAsync(tenant, Scenarios.IncomingStart(onFreeLine, client: "79261230003", line: "74950000000"));
        await other.NextAsync("incoming-call", ForCall(onFreeLine));
        other.All.Where(e => e.Type == "incoming-call").Should().ContainSingle();

        await app.Host.NotifyAsync(tenant, Scenarios.End(onAssignedLine, talk: 0, client: "79261230002"));
        (await second.NextAsync("call-ended", ForCall(onAssignedLine))).Data.GetProperty("status").GetString().Should().Be("missed");
    }

    [Fact]
    public async Task An_outgoing_call_pops_the_card_for_the_calling_employee_only()
    {
        var tenant = await app.Host.CreateTenantAsync();
        await app.Host.PutEmployeeAsync(tenant, 4, "+79160000004");
        await app.Host.PutEmployeeAsync(tenant, 5, "+79160000005");
        var clientId = await RegisterClientAsync(tenant, "+79261230004", manager: 5);
        await using var caller = await EventStream.OpenAsync(app.Host, tenant.EmployeeToken(4));
        await using var manager = await EventStream.OpenAsync(app.Host, tenant.EmployeeToken(5));

        var session = Scenarios.NewSession();
        await app.Host.NotifyAsync(tenant, Scenarios.OutgoingStart(session, "79160000004", client: "79261230004"));
        (await caller.NextAsync("outgoing-call", ForCall(session))).Data.GetProperty("card").GetProperty("id").GetGuid().Should().Be(clientId);
        await app.Host.NotifyAsync(tenant, Scenarios.End(session, direction: "out", talk: 0, employee: "79160000004", client: "79261230004"));
        await caller.NextAsync("call-ended", ForCall(session));
        manager.All.Select(e => e.Type).Should().OnlyContain(type => type == "ready" || type == "heartbeat");
    }

    [Fact]
    public async Task Another_accounts_calls_never_reach_this_accounts_screens()
    {
        var mine = await app.Host.CreateTenantAsync();
        var other = await app.Host.CreateTenantAsync();
        await using var watcher = await EventStream.OpenAsync(app.Host, mine.EmployeeToken(1));
        await using var otherWatcher = await EventStream.OpenAsync(app.Host, other.EmployeeToken(1));

        var session = Scenarios.NewSession();
        await app.Host.NotifyAsync(other, Scenarios.IncomingStart(session, client: "79261230005"));
        await otherWatcher.NextAsync("incoming-call", ForCall(session));
        watcher.All.Select(e => e.Type).Should().OnlyContain(type => type == "ready" || type == "heartbeat");
    }

    [Fact]
    public async Task An_event_another_node_notifies_through_postgres_reaches_the_stream_open_here()
    {
        var tenant = await app.Host.CreateTenantAsync();
        await using var stream = await EventStream.OpenAsync(app.Host, tenant.EmployeeToken(6));
        await using var otherNode = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await otherNode.OpenAsync();
        await using var notify = new Npgsql.NpgsqlCommand($"select pg_notify('{BuildingBlocks.EmployeeEvents.EmployeeEventHub.Channel}', $1)", otherNode);
        var callId = Guid.NewGuid();
        notify.Parameters.AddWithValue(BuildingBlocks.EmployeeEvents.EmployeeEventHub.Payload(
            new BuildingBlocks.EmployeeEvents.EmployeeEvent(tenant.Id, [6], "call-ended", $"{{\"callId\":\"{callId}\",\"status\":\"missed\"}}")));
        await notify.ExecuteNonQueryAsync();
        (await stream.NextAsync("call-ended")).Data.GetProperty("callId").GetGuid().Should().Be(callId);
    }

    [Fact]
    public async Task An_idle_stream_gets_heartbeats()
    {
        var tenant = await app.Host.CreateTenantAsync();
        await using var stream = await EventStream.OpenAsync(app.Host, tenant.EmployeeToken(1));
        stream.Response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        await stream.NextAsync("heartbeat", timeout: TimeSpan.FromSeconds(AppFixture.HeartbeatSeconds * 5));
    }

    [Fact]
    public async Task The_stream_needs_a_token_and_the_query_token_is_accepted_only_there()
    {
        var tenant = await app.Host.CreateTenantAsync();
        var client = app.Host.Server.CreateClient();
        (await client.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await client.GetAsync("/api/events?access_token=not-a-token", HttpCompletionOption.ResponseHeadersRead)).StatusCode
            .Should().Be(HttpStatusCode.Unauthorized);
        (await client.GetAsync($"/api/calls?access_token={tenant.AdminToken}")).StatusCode
            .Should().Be(HttpStatusCode.Unauthorized, "a token in a URL ends up in logs: only the event stream takes one");
    }

    [Fact]
    public async Task Line_assignments_name_a_line_and_employees_of_the_account()
    {
        var tenant = await app.Host.CreateTenantAsync();
        await app.Host.PutEmployeeAsync(tenant, 1, "+79160000001");
        await PutLinesAsync(tenant, "+74993720692");
        await app.Host.Scenario(s =>
        {
            s.Put.Json(new { employeeIds = new[] { 1 } }).ToUrl("/api/settings/lines/+74950000000/employees");
            s.WithBearerToken(tenant.AdminToken);
            s.StatusCodeShouldBe(404);
        });
        await app.Host.Scenario(s =>
        {
            s.Put.Json(new { employeeIds = new[] { 1, 99 } }).ToUrl("/api/settings/lines/74993720692/employees");
            s.WithBearerToken(tenant.AdminToken);
            s.StatusCodeShouldBe(400);
            s.ContentShouldContain("99");
        });
        await AssignLineAsync(tenant, "8 (499) 372-06-92", 1);
        var assigned = await app.Host.GetJsonAsync<JsonElement>("/api/settings/lines/+74993720692/employees", tenant.EmployeeToken(1));
        assigned.GetProperty("employeeIds").EnumerateArray().Select(e => e.GetInt32()).Should().Equal(1);
        await app.Host.Scenario(s =>
        {
            s.Put.Json(new { employeeIds = new[] { 1 } }).ToUrl("/api/settings/lines/74993720692/employees");
            s.WithBearerToken(tenant.EmployeeToken(1));
            s.StatusCodeShouldBe(403);
        });
    }
}
