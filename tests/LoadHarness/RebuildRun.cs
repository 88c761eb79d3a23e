using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using BuildingBlocks.Postgres;
using Npgsql;

namespace LoadHarness;

/// <summary>
/// Issue 7's rebuild speed: the call history rebuilt from a store of <c>--events</c> events (half
/// call starts, half call ends), through <c>POST /admin/projections/CallHistoryEntry/rebuild</c> on a
/// Release host. The events are copies of one real call's two events, written by SQL in seconds.
/// </summary>
public static class RebuildRun
{
    public static async Task<int> RunAsync(string hostDll, LocalPostgres postgres, byte[] key, int port, int events)
    {
        using var host = HostProcess.Start(hostDll, postgres.ConnectionString, key, port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            await HostProcess.WaitUntilUpAsync(http, TimeSpan.FromSeconds(90));
            var hook = await HostProcess.CreateTenantAsync(http, key, "rebuild", "Rebuild");
            (await http.GetAsync($"{hook}?event=call_start&direction=in&line_number=74993720692&client_number=79161234567&call_hash=9000000000")).EnsureSuccessStatusCode();
            (await http.GetAsync($"{hook}?event=call_end&direction=in&line_number=74993720692&client_number=79161234567&call_hash=9000000000&talk_time_duration=30")).EnsureSuccessStatusCode();

            var seeding = Stopwatch.StartNew();
            await SeedAsync(postgres.ConnectionString, events / 2);
            Console.WriteLine($"seeded {events:N0} events ({events / 2:N0} calls) in {seeding.Elapsed.TotalSeconds:F0} s");

            var ok = true;
            foreach (var scope in new[] { "", "?tenant=rebuild" })
                ok &= await RebuildAsync(http, key, scope, postgres.ConnectionString, events, host);
            return ok ? 0 : 1;
        }
        finally
        {
            host.Process.Kill(entireProcessTree: true);
        }
    }

    private static async Task<bool> RebuildAsync(HttpClient http, byte[] key, string scope, string connectionString, int events, HostProcess host)
    {
        var started = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/admin/projections/CallHistoryEntry/rebuild" + scope)
        {
            Headers = { Authorization = new("Bearer", Tokens.Operator(key)) },
        });
        if ((int)started.StatusCode != 202)
        {
            Console.WriteLine($"rebuild refused: {(int)started.StatusCode} {await started.Content.ReadAsStringAsync()}");
            return false;
        }
        var clock = Stopwatch.StartNew();
        var location = started.Headers.Location!.ToString();
        JsonElement status;
        do
        {
            await Task.Delay(2000);
            using var request = new HttpRequestMessage(HttpMethod.Get, location) { Headers = { Authorization = new("Bearer", Tokens.Operator(key)) } };
            status = await (await http.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();
            Console.WriteLine($"  {clock.Elapsed.TotalSeconds,5:F0} s  {status.GetProperty("percent").GetDouble(),5:F1} %  {status.GetProperty("processed").GetInt64():N0} of {status.GetProperty("total").GetInt64():N0}");
        } while (status.GetProperty("state").GetString() == "running" && clock.Elapsed < TimeSpan.FromMinutes(10));

        var seconds = status.GetProperty("elapsedSeconds").GetDouble();
        var total = status.GetProperty("total").GetInt64();
        var rows = await CountAsync(connectionString);
        host.Process.Refresh();
        Console.WriteLine($"rebuild of {(scope == "" ? "every tenant (Marten's daemon)" : "one tenant (replayed by the host)")} {status.GetProperty("state").GetString()}: " +
            $"{total:N0} events in {seconds:F1} s = {total / seconds:N0} events/s; {rows:N0} history rows; host working set {host.Process.WorkingSet64 / 1024 / 1024} MB");
        return status.GetProperty("state").GetString() == "done" && rows == events / 2 + 1;
    }

    /// <summary>Copies the one real call's events <paramref name="calls"/> times, each copy its own stream and UIS session.</summary>
    private static async Task SeedAsync(string connectionString, int calls)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var template = new NpgsqlCommand(
            "create temporary table template as select stream_id from envycrm.mt_events where tenant_id = 'rebuild' and type = 'call_started' limit 1",
            connection))
            await template.ExecuteNonQueryAsync();
        foreach (var sql in new[]
        {
            """
            insert into envycrm.mt_streams (id, type, version, timestamp, created, tenant_id, is_archived)
            select ('00000000-0000-4000-b000-' || lpad(to_hex(n), 12, '0'))::uuid, s.type, s.version, s.timestamp, s.created, s.tenant_id, false
            from envycrm.mt_streams s, generate_series(1, $1) n where s.id = (select stream_id from template)
            """,
            """
            insert into envycrm.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, is_archived)
            select (select last_value from envycrm.mt_events_sequence) + (c.n - 1) * 2 + e.version, gen_random_uuid(), c.id, e.version,
                   jsonb_set(jsonb_set(e.data, '{CallId}', to_jsonb(c.id::text)), '{Facts,UisCallSessionId}', to_jsonb(9000000000 + c.n)),
                   e.type, e.timestamp, e.tenant_id, e.mt_dotnet_type, false
            from (select n, ('00000000-0000-4000-b000-' || lpad(to_hex(n), 12, '0'))::uuid as id from generate_series(1, $1) n) c
            cross join envycrm.mt_events e
            where e.stream_id = (select stream_id from template)
            order by c.n, e.version
            """,
            "select setval('envycrm.mt_events_sequence', (select max(seq_id) from envycrm.mt_events)) + 0 * $1",
        })
        {
            await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
            command.Parameters.AddWithValue(calls);
            await command.ExecuteNonQueryAsync();
        }
        await using var analyze = new NpgsqlCommand("analyze envycrm.mt_events; analyze envycrm.mt_streams", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from envycrm.mt_doc_callhistoryentry where tenant_id = 'rebuild'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
