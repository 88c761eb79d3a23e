using System.Net.Http.Json;
using System.Text.Json;
using Alba;
using IntegrationTests.Infrastructure;
using Npgsql;
using Wolverine;

namespace IntegrationTests.Host;

[Collection(AppCollection.Name)]
public sealed class ProjectionRebuildTests(AppFixture app)
{
    private const string CallHistory = "CallHistoryEntry";
    private const string ClientCard = "ClientCard";
    private const string CallsPerHour = "CallsPerHour";

    public sealed record Projection(string Name, string Lifecycle, string State, long Position, long HighWaterMark, long Lag);
    public sealed record Daemon(string Mode, bool RunsHere, string? Reason);
    public sealed record Listing(Daemon Daemon, List<Projection> Projections);
    public sealed record Rebuild(Guid Id, string Projection, string? Tenant, string State, long Processed, long Total, double Percent,
        double ElapsedSeconds, int StreamsCaughtUp, string? Error);

    [Fact]
    public async Task The_listing_shows_every_projection_with_its_lifecycle_position_and_lag()
    {
        var listing = await app.Host.GetJsonAsync<Listing>("/admin/projections", Scenarios.OperatorToken);

        listing.Daemon.Should().Be(new Daemon("Solo", true, null));
        listing.Projections.Select(p => (p.Name, p.Lifecycle)).Should().Contain([(CallHistory, "inline"), (ClientCard, "inline"), (CallsPerHour, "async")]);
        listing.Projections.Should().OnlyContain(p => p.HighWaterMark > 0 && p.Lag == p.HighWaterMark - p.Position);
        listing.Projections.Single(p => p.Name == CallsPerHour).State.Should().Be("running");
    }

    [Fact]
    public async Task Tenant_tokens_get_403_on_admin()
    {
        var tenant = await app.Host.CreateTenantAsync();
        foreach (var (method, url) in new[] { ("GET", "/admin/projections"), ("POST", $"/admin/projections/{CallHistory}/rebuild") })
            await app.Host.Scenario(s =>
            {
                if (method == "GET") s.Get.Url(url); else s.Post.Url(url);
                s.WithBearerToken(tenant.AdminToken);
                s.StatusCodeShouldBe(403);
            });
    }

    [Fact]
    public async Task An_unknown_projection_is_404_naming_the_valid_ones()
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Url("/admin/projections/Nonsense/rebuild");
            s.WithBearerToken(Scenarios.OperatorToken);
            s.StatusCodeShouldBe(404);
        });
        var problem = await result.ReadAsJsonAsync<JsonElement>();
        problem.GetProperty("projections").EnumerateArray().Select(p => p.GetString()).Should().Contain([CallHistory, ClientCard, CallsPerHour]);
        problem.GetProperty("detail").GetString().Should().Contain(CallHistory);
    }

    [Fact]
    public async Task The_call_history_and_the_cards_after_a_rebuild_equal_those_before_it()
    {
        var tenant = await RecordCallsAsync(5);
        var history = await ReadDocumentsAsync("mt_doc_callhistoryentry", tenant.Id);
        var cards = await ReadDocumentsAsync("mt_doc_clientcard", tenant.Id);
        history.Should().HaveCount(5);
        cards.Should().HaveCount(5, "every caller became a lead");

        await ExecuteAsync("delete from envycrm.mt_doc_callhistoryentry; delete from envycrm.mt_doc_clientcard");
        (await ReadDocumentsAsync("mt_doc_callhistoryentry", tenant.Id)).Should().BeEmpty();
        var historyRebuild = await RebuildAsync(CallHistory);
        var cardRebuild = await RebuildAsync(ClientCard);

        historyRebuild.State.Should().Be("done");
        historyRebuild.Percent.Should().Be(100);
        historyRebuild.Processed.Should().BeGreaterThan(0);
        cardRebuild.State.Should().Be("done");
        (await ReadDocumentsAsync("mt_doc_callhistoryentry", tenant.Id)).Should().Equal(history);
        (await ReadDocumentsAsync("mt_doc_clientcard", tenant.Id)).Should().Equal(cards);
    }

    [Fact]
    public async Task A_rebuild_for_one_tenant_restores_it_and_leaves_the_others_alone()
    {
        var rebuilt = await RecordCallsAsync(3);
        var other = await RecordCallsAsync(2);
        var before = await ReadDocumentsAsync("mt_doc_callhistoryentry", rebuilt.Id);
        await ExecuteAsync($"delete from envycrm.mt_doc_callhistoryentry where tenant_id = '{rebuilt.Id}'");
        // Spoiled on purpose: a rebuild that reached the other tenant would put it right.
        await ExecuteAsync($"update envycrm.mt_doc_callhistoryentry set data = jsonb_set(data, '{{Status}}', '\"spoiled\"') where tenant_id = '{other.Id}'");

        var rebuild = await RebuildAsync(CallHistory, rebuilt.Id);

        rebuild.Tenant.Should().Be(rebuilt.Id);
        rebuild.Processed.Should().Be(rebuild.Total).And.BeGreaterThanOrEqualTo(6, "two notifications per call, at least");
        (await ReadDocumentsAsync("mt_doc_callhistoryentry", rebuilt.Id)).Should().Equal(before);
        (await ReadDocumentsAsync("mt_doc_callhistoryentry", other.Id)).Should().OnlyContain(d => d.Contains("\"spoiled\""));
    }

    [Fact]
    public async Task Notifications_keep_being_accepted_during_a_rebuild_and_nothing_is_lost()
    {
        var tenant = await app.Host.CreateTenantAsync();
        using var stop = new CancellationTokenSource();
        var sent = new List<long>();
        var ingestion = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var session = Scenarios.NewSession();
                await app.Host.NotifyAsync(tenant, Scenarios.IncomingStart(session, client: $"7916{session % 10_000_000:D7}"));
                await app.Host.NotifyAsync(tenant, Scenarios.End(session, talk: 5, client: $"7916{session % 10_000_000:D7}"));
                lock (sent) sent.Add(session);
            }
        });
        await Eventually.Async(() => Task.FromResult(Count()), n => n >= 10);
        var rebuild = await RebuildAsync(CallHistory);
        var duringRebuild = Count();
        await Eventually.Async(() => Task.FromResult(Count()), n => n >= duringRebuild + 10);
        await stop.CancelAsync();
        await ingestion;

        rebuild.State.Should().Be("done");
        var history = await ReadDocumentsAsync("mt_doc_callhistoryentry", tenant.Id);
        history.Should().HaveCount(sent.Count, "every call sent is in the history");
        history.Should().OnlyContain(d => d.Contains("\"Status\": \"answered\""), "each call's end is in its row");
        // And what the live rebuild left is what a quiet one makes of the same events.
        await ExecuteAsync($"delete from envycrm.mt_doc_callhistoryentry where tenant_id = '{tenant.Id}'");
        await RebuildAsync(CallHistory, tenant.Id);
        (await ReadDocumentsAsync("mt_doc_callhistoryentry", tenant.Id)).Should().Equal(history);

        int Count()
        {
            lock (sent) return sent.Count;
        }
    }

    [Fact]
    public async Task The_asynchronous_projection_keeps_up_with_new_calls_after_its_rebuild()
    {
        var tenant = await RecordCallsAsync(2);
        var before = await Eventually.Async(() => AnsweredTodayAsync(tenant), n => n == 2);

        var rebuild = await RebuildAsync(CallsPerHour);

        rebuild.State.Should().Be("done");
        (await AnsweredTodayAsync(tenant)).Should().Be(before, "the rebuild counted the same calls");
        var listing = await app.Host.GetJsonAsync<Listing>("/admin/projections", Scenarios.OperatorToken);
        listing.Projections.Single(p => p.Name == CallsPerHour).State.Should().Be("running", "Marten leaves it stopped unless restarted");
        var session = Scenarios.NewSession();
        await app.Host.NotifyAsync(tenant, Scenarios.End(session, talk: 9, client: "79261112233"));
        await Eventually.Async(() => AnsweredTodayAsync(tenant), n => n == before + 1);
    }

    [Fact]
    public async Task A_second_rebuild_of_the_same_projection_while_one_runs_is_409()
    {
        await RecordCallsAsync(1);
        await using var locked = await LockAsync("mt_doc_callsperhour");
        var first = await StartRebuildAsync(CallsPerHour);
        first.StatusCode.Should().Be(System.Net.HttpStatusCode.Accepted);

        var second = await StartRebuildAsync(CallsPerHour);
        second.StatusCode.Should().Be(System.Net.HttpStatusCode.Conflict);
        var status = await app.Host.GetJsonAsync<Rebuild>(first.Headers.Location!.ToString(), Scenarios.OperatorToken);
        status.State.Should().Be("running");

        await locked.DisposeAsync();
        (await WaitForAsync(first.Headers.Location!.ToString())).State.Should().Be("done");
    }

    [Fact]
    public async Task A_node_that_does_not_run_the_daemon_answers_409_saying_why()
    {
        await using var webOnly = await AlbaHost.For<Program>(builder =>
        {
            builder.UseSetting("environment", "Testing");
            builder.UseSetting("Projections:Daemon", "Disabled");
            builder.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                services.DisableAllExternalWolverineTransports();
            });
        });

        var listing = await webOnly.GetJsonAsync<Listing>("/admin/projections", Scenarios.OperatorToken);
        listing.Daemon.RunsHere.Should().BeFalse();
        listing.Projections.Single(p => p.Name == CallsPerHour).State.Should().Be("elsewhere");
        var result = await webOnly.Scenario(s =>
        {
            s.Post.Url($"/admin/projections/{CallHistory}/rebuild");
            s.WithBearerToken(Scenarios.OperatorToken);
            s.StatusCodeShouldBe(409);
        });
        (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("detail").GetString().Should().Contain("Projections:Daemon");
    }

    [Fact]
    public async Task Martens_projections_command_runs_through_the_host()
    {
        var info = new System.Diagnostics.ProcessStartInfo("dotnet", [TestSupport.HostBinary.Dll(), "projections", "list"])
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        info.Environment["ConnectionStrings__Postgres"] = app.ConnectionString;
        using var process = System.Diagnostics.Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
        {
            try
            {
                await process.WaitForExitAsync(patience.Token);
            }
            finally
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
            }
        }

        process.ExitCode.Should().Be(0, await errors);
        var listed = await output;
        foreach (var name in new[] { "CallHistoryEnt", "ClientCard", "CallsPerHour" }) listed.Should().Contain(name);
        listed.Should().Contain("Async").And.Contain("Inline");
    }

    private async Task<Scenarios.TestTenant> RecordCallsAsync(int calls)
    {
        var tenant = await app.Host.CreateTenantAsync();
        for (var i = 0; i < calls; i++)
        {
            var session = Scenarios.NewSession();
            var client = $"7926{Random.Shared.Next(10_000_000):D7}";
            await app.Host.NotifyAsync(tenant, Scenarios.IncomingStart(session, client: client));
            await app.Host.NotifyAsync(tenant, Scenarios.End(session, talk: 20 + i, client: client));
        }
        // The cards are written by Leads from a durable queue.
        await Eventually.Async(() => ReadDocumentsAsync("mt_doc_clientcard", tenant.Id), d => d.Count == calls && d.All(c => c.Contains("\"Status\": \"answered\"")));
        return tenant;
    }

    private async Task<int> AnsweredTodayAsync(Scenarios.TestTenant tenant)
    {
        var report = await app.Host.GetJsonAsync<JsonElement>("/api/calls/per-day?days=2", tenant.EmployeeToken(1));
        return report.GetProperty("days").EnumerateArray().Sum(d => d.GetProperty("answered").GetInt32());
    }

    private async Task<HttpResponseMessage> StartRebuildAsync(string projection, string? tenant = null)
    {
        var client = app.Host.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/admin/projections/{projection}/rebuild" + (tenant is null ? "" : $"?tenant={tenant}"));
        request.Headers.Authorization = new("Bearer", Scenarios.OperatorToken);
        return await client.SendAsync(request);
    }

    private async Task<Rebuild> RebuildAsync(string projection, string? tenant = null)
    {
        var response = await StartRebuildAsync(projection, tenant);
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        (await response.Content.ReadFromJsonAsync<Rebuild>())!.State.Should().Be("running");
        return await WaitForAsync(response.Headers.Location!.ToString());
    }

    private Task<Rebuild> WaitForAsync(string location) =>
        Eventually.Async(() => app.Host.GetJsonAsync<Rebuild>(location, Scenarios.OperatorToken), r => r.State != "running", TimeSpan.FromSeconds(60));

    private async Task<List<string>> ReadDocumentsAsync(string table, string tenant)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select data::text from envycrm.{table} where tenant_id = $1 order by id", connection);
        command.Parameters.AddWithValue(tenant);
        var documents = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) documents.Add(reader.GetString(0));
        return documents;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<NpgsqlConnection> LockAsync(string table)
    {
        var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"begin; lock table envycrm.{table} in access exclusive mode", connection);
        await command.ExecuteNonQueryAsync();
        return connection;
    }
}
