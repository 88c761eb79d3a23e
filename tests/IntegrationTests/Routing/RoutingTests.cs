using System.Net;
using System.Text.Json;
using Alba;
using IntegrationTests.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Http;

namespace IntegrationTests.Routing;

/// <summary>UIS asks who takes the call while the caller waits: the personal manager's numbers, or an error so UIS rings its group.</summary>
[Collection(AppCollection.Name)]
public sealed class RoutingTests(AppFixture app)
{
    private const string AllowedSource = "203.0.113.10";

    private async Task<Scenarios.TestTenant> TenantWithRoutingAsync(object? greeting = null, bool enabled = true)
    {
        var tenant = await app.Host.CreateTenantAsync();
        await app.Host.PutEmployeeAsync(tenant, 7, "+79160000007", "sip:manager7@uis.example");
        await app.Host.Scenario(s =>
        {
            s.Put.Json(new { enabled, allowedSources = new[] { AllowedSource, "198.51.100.0/24" }, greeting }).ToUrl("/api/settings/routing");
            s.WithBearerToken(tenant.AdminToken);
            s.StatusCodeShouldBeOk();
        });
        return tenant;
    }

    private async Task<Guid> RegisterClientAsync(Scenarios.TestTenant tenant, string phone, int? manager)
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { name = "ООО Клиент", phones = new[] { phone }, personalManagerId = manager }).ToUrl("/api/clients");
            s.WithBearerToken(tenant.AdminToken);
            s.StatusCodeShouldBe(201);
        });
        return (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private async Task<(int Status, JsonElement Body)> RouteAsync(Scenarios.TestTenant tenant, string query)
    {
        var response = await app.Host.Server.CreateClient().GetAsync($"{tenant.HookPath}?event=redirect_incoming&{query}");
        // Every answer says how long the service took for it (what the load harness reads).
        response.Headers.GetValues("Server-Timing").Single().Should().MatchRegex(@"^routing;dur=\d+\.\d{3}$");
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task A_client_with_a_personal_manager_is_put_through_to_the_managers_number_with_the_greeting()
    {
        var tenant = await TenantWithRoutingAsync(greeting: new { text = "Соединяем с менеджером" });
        var clientId = await RegisterClientAsync(tenant, "8 (926) 123-00-01", manager: 7);
        var session = Scenarios.NewSession();

        var (status, body) = await RouteAsync(tenant, $"numa=%2279261230001%22&numb=74993720692&call_session_id={session}&input_result=None");
        status.Should().Be(200);
        body.GetProperty("phones").EnumerateArray().Select(p => p.GetString()).Should().Equal("79160000007");
        body.GetProperty("text").GetString().Should().Be("Соединяем с менеджером");

        await using var query = app.Store.QuerySession(tenant.Id);
        var events = await Eventually.Async(() => query.Events.FetchStreamAsync(global::Routing.RoutedCall.IdFor(session, default)), e => e.Count > 0);
        events.Select(e => e.Data).Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            UisCallSessionId = session, CallerPhone = "+79261230001", ClientId = clientId, EmployeeId = 7, Phones = new[] { "79160000007" },
        });
    }

    [Fact]
    public async Task A_greeting_by_media_file_is_named_as_message_name()
    {
        var tenant = await TenantWithRoutingAsync(greeting: new { messageName = "hello-manager.mp3" });
        await RegisterClientAsync(tenant, "+79261230016", manager: 7);
        var (status, body) = await RouteAsync(tenant, "numa=79261230016");
        status.Should().Be(200);
        body.GetProperty("message_name").GetString().Should().Be("hello-manager.mp3");
        body.TryGetProperty("text", out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("numa=79261230099", "unknown-caller", 404)]
    [InlineData("numa=79261230002", "no-personal-manager", 404)]
    [InlineData("numa=anonymous", "no-caller-number", 404)]
    [InlineData("numa=None", "no-caller-number", 404)]
    [InlineData("numb=74993720692", "no-caller-number", 404)]
    public async Task Whoever_has_no_manager_to_reach_goes_to_the_group(string query, string reason, int status)
    {
        var tenant = await TenantWithRoutingAsync();
        await RegisterClientAsync(tenant, "+79261230002", manager: null);
        var answer = await RouteAsync(tenant, query);
        answer.Status.Should().Be(status);
        answer.Body.GetProperty("reason").GetString().Should().Be(reason);
        answer.Body.TryGetProperty("phones", out _).Should().BeFalse("never a 200 without phones");
    }

    [Fact]
    public async Task An_unavailable_manager_or_one_without_a_phone_number_sends_the_call_to_the_group()
    {
        var tenant = await TenantWithRoutingAsync();
        await app.Host.PutEmployeeAsync(tenant, 8, "sip:only-sip@uis.example");
        await RegisterClientAsync(tenant, "+79261230003", manager: 8);
        await RegisterClientAsync(tenant, "+79261230004", manager: 7);
        (await RouteAsync(tenant, "numa=79261230003")).Body.GetProperty("reason").GetString().Should().Be("manager-has-no-number");

        await app.Host.Scenario(s =>
        {
            s.Put.Json(new { available = false }).ToUrl("/api/settings/employees/7/availability");
            s.WithBearerToken(tenant.AdminToken);
            s.StatusCodeShouldBeOk();
        });
        var (status, body) = await RouteAsync(tenant, "numa=79261230004");
        status.Should().Be(409);
        body.GetProperty("reason").GetString().Should().Be("manager-unavailable");
    }

    [Fact]
    public async Task Routing_switched_off_answers_with_an_error()
    {
        var tenant = await TenantWithRoutingAsync(enabled: false);
        await RegisterClientAsync(tenant, "+79261230005", manager: 7);
        var (status, body) = await RouteAsync(tenant, "numa=79261230005");
        status.Should().Be(404);
        body.GetProperty("reason").GetString().Should().Be("routing-off");
    }

    [Fact]
    public async Task A_manager_assigned_a_moment_ago_takes_the_next_call()
    {
        var tenant = await TenantWithRoutingAsync();
        var clientId = await RegisterClientAsync(tenant, "+79261230006", manager: null);
        (await RouteAsync(tenant, "numa=79261230006")).Status.Should().Be(404);
        await app.Host.Scenario(s =>
        {
            s.Put.Json(new { employeeId = 7 }).ToUrl($"/api/clients/{clientId}/personal-manager");
            s.WithBearerToken(tenant.EmployeeToken(3));
            s.StatusCodeShouldBe(204);
        });
        (await RouteAsync(tenant, "numa=79261230006")).Status.Should().Be(200);
    }

    [Fact]
    public async Task Routing_answers_from_memory_and_a_change_announced_by_another_node_reaches_it()
    {
        var tenant = await TenantWithRoutingAsync();
        var clientId = await RegisterClientAsync(tenant, "+79261230014", manager: 7);
        (await RouteAsync(tenant, "numa=79261230014")).Status.Should().Be(200);

        // Another node unassigns the manager: the card changes in PostgreSQL behind this node's back…
        await using var otherNode = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await otherNode.OpenAsync();
        await using (var change = new Npgsql.NpgsqlCommand(
            "update envycrm.mt_doc_clientcard set data = jsonb_set(data, '{PersonalManagerId}', 'null'), mt_last_modified = now() where id = $1", otherNode))
        {
            change.Parameters.AddWithValue(clientId);
            (await change.ExecuteNonQueryAsync()).Should().Be(1);
        }
        (await RouteAsync(tenant, "numa=79261230014")).Status.Should().Be(200, "the answer comes from this node's memory, not from the database");

        // …and announces it, as its commit would.
        const string channel = global::Leads.ManagerLookups.CardChanges.Channel;
        await using (var announce = new Npgsql.NpgsqlCommand($"select pg_notify('{channel}', $1)", otherNode))
        {
            announce.Parameters.AddWithValue(JsonSerializer.Serialize(new global::Leads.ManagerLookups.CardChanges.Changed(tenant.Id, [clientId])));
            await announce.ExecuteNonQueryAsync();
        }
        var after = await Eventually.Async(() => RouteAsync(tenant, "numa=79261230014"), answer => answer.Status == 404);
        after.Body.GetProperty("reason").GetString().Should().Be("no-personal-manager");
    }

    [Fact]
    public async Task The_routing_setup_is_read_from_memory_and_dropped_when_another_node_changes_it()
    {
        var tenant = await TenantWithRoutingAsync();
        await RegisterClientAsync(tenant, "+79261230015", manager: 7);
        (await RouteAsync(tenant, "numa=79261230015")).Status.Should().Be(200);

        await using var otherNode = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await otherNode.OpenAsync();
        await using (var change = new Npgsql.NpgsqlCommand(
            "update envycrm.mt_doc_routingsettings set data = jsonb_set(data, '{Enabled}', 'false') where tenant_id = $1", otherNode))
        {
            change.Parameters.AddWithValue(tenant.Id);
            (await change.ExecuteNonQueryAsync()).Should().Be(1);
        }
        (await RouteAsync(tenant, "numa=79261230015")).Status.Should().Be(200, "this node answers from memory");

        const string channel = global::Integration.Routing.RoutingDirectory.Channel;
        await using (var announce = new Npgsql.NpgsqlCommand($"select pg_notify('{channel}', $1)", otherNode))
        {
            announce.Parameters.AddWithValue(tenant.Id);
            await announce.ExecuteNonQueryAsync();
        }
        var after = await Eventually.Async(() => RouteAsync(tenant, "numa=79261230015"), answer => answer.Status == 404);
        after.Body.GetProperty("reason").GetString().Should().Be("routing-off");
    }

    [Fact]
    public async Task Form_and_json_bodies_are_routed_too()
    {
        var tenant = await TenantWithRoutingAsync();
        await RegisterClientAsync(tenant, "+79261230007", manager: 7);
        var client = app.Host.Server.CreateClient();
        var form = await client.PostAsync(tenant.HookPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["event"] = "redirect_incoming", ["numa"] = "\"79261230007\"", ["call_session_id"] = "{{call_session_id}}",
        }));
        form.StatusCode.Should().Be(HttpStatusCode.OK);
        var json = await client.PostAsync(tenant.HookPath,
            new StringContent("""{"event":"redirect_incoming","numa":"79261230007","cdr_id":123}""", System.Text.Encoding.UTF8, "application/json"));
        json.StatusCode.Should().Be(HttpStatusCode.OK);
        (await json.Content.ReadAsStringAsync()).Should().Contain("79160000007");
    }

    [Fact]
    public async Task The_same_number_in_another_account_is_not_this_accounts_client()
    {
        var mine = await TenantWithRoutingAsync();
        var other = await TenantWithRoutingAsync();
        await RegisterClientAsync(mine, "+79261230008", manager: 7);
        (await RouteAsync(other, "numa=79261230008")).Body.GetProperty("reason").GetString().Should().Be("unknown-caller");
        (await RouteAsync(mine, "numa=79261230008")).Status.Should().Be(200);
    }

    [Fact]
    public async Task The_call_history_shows_the_routing_decision_whichever_arrived_first()
    {
        var tenant = await TenantWithRoutingAsync();
        await RegisterClientAsync(tenant, "+79261230010", manager: 7);
        var routedFirst = Scenarios.NewSession();
        var notifiedFirst = Scenarios.NewSession();
        await RouteAsync(tenant, $"numa=79261230010&call_session_id={routedFirst}");
        await app.Host.NotifyAsync(tenant, Scenarios.IncomingStart(routedFirst, client: "79261230010"));
        await app.Host.NotifyAsync(tenant, Scenarios.IncomingStart(notifiedFirst, client: "79261239999"));
        await RouteAsync(tenant, $"numa=79261239999&call_session_id={notifiedFirst}");

        // Decisions are stored after UIS has its answer (ADR 9): a moment later.
        var page = await Eventually.Async(() => app.Host.GetJsonAsync<CallPage>("/api/calls", tenant.AdminToken),
            p => p.Items.Count(c => c.Routing is not null) == 2);
        page.Items.Single(c => c.UisCallSessionId == routedFirst).Routing.Should().Be(new CallRoutingView("routed", 7, null));
        page.Items.Single(c => c.UisCallSessionId == notifiedFirst).Routing.Should().Be(new CallRoutingView("fell-back", null, "unknown-caller"));
        var callId = global::Calls.Call.IdForUisSession(routedFirst);
        (await app.Host.GetJsonAsync<CallView>($"/api/calls/{callId}", tenant.AdminToken)).Routing!.EmployeeId.Should().Be(7);
    }

    [Fact]
    public async Task Decisions_are_listed_for_audit_newest_first_in_the_period_and_only_this_accounts()
    {
        var tenant = await TenantWithRoutingAsync();
        var other = await TenantWithRoutingAsync();
        await RegisterClientAsync(tenant, "+79261230011", manager: 7);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await RouteAsync(tenant, $"numa=79261230011&call_session_id={Scenarios.NewSession()}");
        await RouteAsync(tenant, "numa=79261230012");
        await RouteAsync(other, "numa=79261230013");

        var from = Uri.EscapeDataString(before.ToString("O"));
        var decisions = await Eventually.Async(() => app.Host.GetJsonAsync<List<JsonElement>>($"/api/routing/decisions?from={from}", tenant.AdminToken),
            d => d.Count >= 2);
        decisions.Select(d => (d.GetProperty("outcome").GetString(), d.GetProperty("callerPhone").GetString()))
            .Should().Equal(("fell-back", "+79261230012"), ("routed", "+79261230011"));
        decisions[1].GetProperty("employeeId").GetInt32().Should().Be(7);
        decisions[0].GetProperty("reason").GetString().Should().Be("unknown-caller");

        var to = Uri.EscapeDataString(before.ToString("O"));
        (await app.Host.GetJsonAsync<List<JsonElement>>($"/api/routing/decisions?to={to}", tenant.AdminToken)).Should().BeEmpty();
        await app.Host.Scenario(s =>
        {
            s.Get.Url("/api/routing/decisions");
            s.WithBearerToken(tenant.EmployeeToken(7));
            s.StatusCodeShouldBe(403);
        });
    }

    private Task<IScenarioResult> RouteByHostAsync(string subdomain, string source, string query, int status, string @event = "redirect_incoming",
        (string Host, string For)? forwarded = null) =>
        app.Host.Scenario(s =>
        {
            s.Get.Url($"/hook/uis?event={@event}&{query}");
            s.ConfigureHttpContext(context =>
            {
                context.Request.Host = new HostString($"{subdomain}.{AppFixture.RoutingBaseDomain}");
                context.Connection.RemoteIpAddress = IPAddress.Parse(source);
            });
            if (forwarded is { } proxy)
            {
                s.WithRequestHeader("X-Forwarded-Host", proxy.Host);
                s.WithRequestHeader("X-Forwarded-For", proxy.For);
            }
            s.StatusCodeShouldBe(status);
        });

    [Fact]
    public async Task Behind_a_known_proxy_the_forwarded_address_and_host_count_and_nobody_else_can_forge_them()
    {
        var tenant = await TenantWithRoutingAsync();
        await RegisterClientAsync(tenant, "+79261230021", manager: 7);
        var publicHost = $"{tenant.Id}.{AppFixture.RoutingBaseDomain}";

        await RouteByHostAsync("internal", AppFixture.KnownProxy, "numa=79261230021", 200, forwarded: (publicHost, AllowedSource));
        await RouteByHostAsync("internal", AppFixture.KnownProxy, "numa=79261230021", 403, forwarded: (publicHost, "192.0.2.1"));
        await RouteByHostAsync(tenant.Id, "192.0.2.1", "numa=79261230021", 403, forwarded: (publicHost, AllowedSource));
    }

    [Fact]
    public async Task The_setup_guides_url_names_the_account_by_subdomain_and_answers_only_allowed_sources()
    {
        var tenant = await TenantWithRoutingAsync();
        await RegisterClientAsync(tenant, "+79261230009", manager: 7);

        var routed = await RouteByHostAsync(tenant.Id, AllowedSource, "numa=79261230009", 200);
        (await routed.ReadAsJsonAsync<JsonElement>()).GetProperty("phones")[0].GetString().Should().Be("79160000007");
        await RouteByHostAsync(tenant.Id, "198.51.100.77", "numa=79261230009", 200);
        await RouteByHostAsync(tenant.Id, "192.0.2.1", "numa=79261230009", 403);
        await RouteByHostAsync("no-such-account", AllowedSource, "numa=79261230009", 404);

        var unconfigured = await app.Host.CreateTenantAsync();
        await RouteByHostAsync(unconfigured.Id, AllowedSource, "numa=79261230009", 403);
    }

    [Fact]
    public async Task The_routing_url_takes_only_routing_requests()
    {
        var tenant = await TenantWithRoutingAsync();
        await RouteByHostAsync(tenant.Id, AllowedSource, $"call_hash={Scenarios.NewSession()}", 404, @event: "call_start");
    }

    private async Task<List<JsonElement>> DecisionsAsync(Scenarios.TestTenant tenant, int atLeast) =>
        await Eventually.Async(() => app.Host.GetJsonAsync<List<JsonElement>>("/api/routing/decisions", tenant.AdminToken), d => d.Count >= atLeast);

    /// <summary>Holds a lock on one of the service's tables, in a transaction of its own, until disposed.</summary>
    private async Task<Npgsql.NpgsqlConnection> LockAsync(string table)
    {
        var connection = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"begin; lock table envycrm.{table} in access exclusive mode", connection);
        await command.ExecuteNonQueryAsync();
        return connection;
    }

    /// <summary>How many connections wait on a lock; <paramref name="terminate"/>: and cuts them.</summary>
    private async Task<long> WaitingOnLockAsync(bool terminate = false)
    {
        // A connection of its own: inside a transaction, pg_stat_activity would show the same snapshot every time.
        await using var connection = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"""
            select count({(terminate ? "pg_terminate_backend(pid)" : "*")}) from pg_stat_activity
            where wait_event_type = 'Lock' and state = 'active' and pid <> pg_backend_pid() and query ilike '%mt_%'
            """, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Decisions_handed_over_before_the_service_stops_are_stored_before_it_stops()
    {
        var tenant = await app.Host.CreateTenantAsync();
        var writer = new global::Routing.Decisions.RoutingDecisionWriter(app.Store, new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<global::Routing.Decisions.RoutingDecisionWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        global::Routing.Decisions.DecisionToStore Decision(string phone)
        {
            var id = global::Routing.RoutedCall.IdFor(null, DateTimeOffset.UtcNow);
            return new(tenant.Id, id, new global::Routing.CallRoutingFellBack(id, null, phone, "unknown-caller", null, null, DateTimeOffset.UtcNow), null);
        }

        Task stopped;
        await using (await LockAsync("mt_events"))
        {
            writer.Store(Decision("+79261230019"));
            await Eventually.Async(() => WaitingOnLockAsync(), waiting => waiting > 0);
            writer.Store(Decision("+79261230020")); // queued behind the first, which is being written
            stopped = writer.StopAsync(CancellationToken.None);
        }
        await stopped;

        writer.Queued.Should().Be(0);
        var decisions = await app.Host.GetJsonAsync<List<JsonElement>>("/api/routing/decisions", tenant.AdminToken);
        decisions.Select(d => d.GetProperty("callerPhone").GetString()).Should().Equal("+79261230020", "+79261230019");
    }

    [Fact]
    public async Task The_answer_does_not_wait_for_the_decision_to_be_stored_and_the_decision_is_stored_later()
    {
        var tenant = await TenantWithRoutingAsync();
        await RegisterClientAsync(tenant, "+79261230016", manager: 7);
        var session = Scenarios.NewSession();
        await RouteAsync(tenant, "numa=79261230099"); // the tenant's setup is in memory now

        await using (await LockAsync("mt_events"))
        {
            var answer = await RouteAsync(tenant, $"numa=79261230016&call_session_id={session}").WaitAsync(TimeSpan.FromSeconds(10));
            answer.Status.Should().Be(200, "the answer came while nothing could be written to the event store");
        }

        var decisions = await DecisionsAsync(tenant, 2);
        decisions[0].GetProperty("uisCallSessionId").GetInt64().Should().Be(session);
        decisions[0].GetProperty("outcome").GetString().Should().Be("routed");
    }

    [Fact]
    public async Task A_decision_whose_write_fails_is_written_again()
    {
        var tenant = await TenantWithRoutingAsync();
        await RouteAsync(tenant, "numa=79261230098");
        await DecisionsAsync(tenant, 1);

        await using (await LockAsync("mt_events"))
        {
            (await RouteAsync(tenant, "numa=79261230017")).Body.GetProperty("reason").GetString().Should().Be("unknown-caller");
            // The writer waits on the lock; its connection is cut, as when the database restarts.
            await Eventually.Async(() => WaitingOnLockAsync(terminate: true), killed => killed > 0);
        }

        var decisions = await DecisionsAsync(tenant, 2);
        decisions.Select(d => d.GetProperty("callerPhone").GetString()).Should().Equal("+79261230017", "+79261230098");
    }

    [Fact]
    public async Task Past_the_deadline_the_answer_is_the_fallback_error_rather_than_a_late_one()
    {
        var tenant = await TenantWithRoutingAsync();
        await RegisterClientAsync(tenant, "+79261230018", manager: 7);
        var session = Scenarios.NewSession();

        // The tenant's routing setup is not in memory yet, and its table cannot be read.
        await using (await LockAsync("mt_doc_routingsettings"))
        {
            var answer = await RouteAsync(tenant, $"numa=79261230018&call_session_id={session}").WaitAsync(TimeSpan.FromSeconds(10));
            answer.Should().Be((503, answer.Body));
            answer.Body.GetProperty("reason").GetString().Should().Be("deadline-exceeded");
            await RouteByHostAsync(tenant.Id, AllowedSource, "numa=79261230018", 503);
        }

        var decision = (await DecisionsAsync(tenant, 1)).Single();
        decision.GetProperty("reason").GetString().Should().Be("deadline-exceeded");
        decision.GetProperty("uisCallSessionId").GetInt64().Should().Be(session);
        (await RouteAsync(tenant, "numa=79261230018")).Status.Should().Be(200, "once the setup can be read, the manager takes the call");
    }
}
