using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Npgsql;

namespace LoadHarness;

/// <summary>
/// Routing requests as UIS sends them to the setup guide's URL (tenant by subdomain, source on the
/// allow-list), for callers among a large set of clients, each with a personal manager.
/// </summary>
public sealed class RoutingLoad(HttpClient http, string tenant, int clients)
{
    public const int Managers = 50;
    private static readonly string[] CardPhonePrefix = ["+7915", "7915"];
    private long _session = 8_000_000_000;
    private readonly ConcurrentDictionary<string, int> _answers = new();
    private readonly ConcurrentQueue<double> _serverMs = new();

    /// <summary>A client's number as the seed stores it (E.164) and as UIS sends it (digits).</summary>
    public static string ClientPhone(int n, bool asUisSendsIt = false) => CardPhonePrefix[asUisSendsIt ? 1 : 0] + n.ToString("D7");

    /// <summary>
    /// Writes the clients straight into the card table, as the card projection would have left them
    /// (the routing lookup reads only cards): <paramref name="clients"/> clients, one number each, managers 1..50 in turn; then the table's statistics.
    /// </summary>
    public static async Task SeedAsync(string connectionString, string tenant, int clients)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var seed = new NpgsqlCommand($"""
            insert into envycrm.mt_doc_clientcard (tenant_id, id, data, mt_dotnet_type, mt_version, kind)
            select $1, id, jsonb_build_object('Id', id, 'Kind', 'client', 'Name', 'Клиент ' || n,
                'Phones', jsonb_build_array('{CardPhonePrefix[0]}' || lpad(n::text, 7, '0')), 'PersonalManagerId', 1 + n % {Managers},
                'FirstContactAt', '2026-01-01T00:00:00+00:00', 'Source', null, 'LastCall', null, 'CallCount', 0, 'MissedCount', 0,
                'RecentCalls', '[]'::jsonb), 'Leads.ClientCards.ClientCard', 1, 'client'
            from (select n, ('00000000-0000-4000-a000-' || lpad(to_hex(n), 12, '0'))::uuid as id from generate_series(1, $2) n) numbered
            """, connection) { CommandTimeout = 600 };
        seed.Parameters.Add(new NpgsqlParameter { Value = tenant });
        seed.Parameters.Add(new NpgsqlParameter { Value = clients });
        await seed.ExecuteNonQueryAsync();
        // As autovacuum would have by then on a database in use.
        await using var analyze = new NpgsqlCommand("analyze envycrm.mt_doc_clientcard", connection) { CommandTimeout = 600 };
        await analyze.ExecuteNonQueryAsync();
    }

    /// <summary>Employees 1..50 with a number each, and routing switched on for requests from this machine.</summary>
    public async Task SetUpAsync(string adminToken)
    {
        for (var id = 1; id <= Managers; id++)
            await SendAsync(HttpMethod.Put, $"/api/settings/employees/{id}", adminToken,
                new { fullName = $"Менеджер {id}", uisEmployeeId = 1000 + id, phones = new[] { $"+7916000{id:D4}" } });
        await SendAsync(HttpMethod.Put, "/api/settings/routing", adminToken, new { enabled = true, allowedSources = new[] { "127.0.0.1" } });
    }

    private async Task SendAsync(HttpMethod method, string url, string token, object body)
    {
        using var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body), Headers = { Authorization = new("Bearer", token) } };
        (await http.SendAsync(request)).EnsureSuccessStatusCode();
    }

    /// <summary>Nine callers in ten are clients (answered 200 with their manager's number), one in ten unknown (404): both are answers; anything else is an error.</summary>
    public Task<LoadResult> FixedRateAsync(int perSecond, TimeSpan duration) =>
        OpenLoop.RunAsync(perSecond, duration, (i, _) =>
        {
            var known = i % 10 != 9;
            var caller = known ? ClientPhone(1 + Random.Shared.Next(clients), asUisSendsIt: true) : "7917" + Random.Shared.Next(10_000_000).ToString("D7");
            var session = Interlocked.Increment(ref _session);
            return () => RouteAsync(caller, session, known ? 200 : 404);
        });

    /// <summary>The same requests to the same URL with another event: answered 404 before any routing work. The floor of the measurement.</summary>
    public Task<LoadResult> FloorAsync(int perSecond, TimeSpan duration) =>
        OpenLoop.RunAsync(perSecond, duration, (_, _) =>
        {
            var caller = ClientPhone(1 + Random.Shared.Next(clients), asUisSendsIt: true);
            var session = Interlocked.Increment(ref _session);
            return () => RouteAsync(caller, session, 404, @event: "floor_probe");
        });

    public async Task<bool> RouteAsync(string caller, long session, int expected, string @event = "redirect_incoming")
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get,
                $"/hook/uis?event={@event}&numa=%22{caller}%22&numb=74993720692&call_session_id={session}");
            request.Headers.Host = $"{tenant}.envycrm.com";
            using var response = await http.SendAsync(request);
            var status = (int)response.StatusCode;
            if (response.Headers.TryGetValues("Server-Timing", out var timings) &&
                timings.First().Split("dur=") is [_, var dur] && double.TryParse(dur, System.Globalization.CultureInfo.InvariantCulture, out var ms))
                _serverMs.Enqueue(ms);
            _answers.AddOrUpdate(status == expected ? $"{status} as expected" : $"{status} unexpected", 1, (_, n) => n + 1);
            return status == expected;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            _answers.AddOrUpdate(e.GetType().Name, 1, (_, n) => n + 1);
            return false;
        }
    }

    /// <summary>The answers since the last call, by status.</summary>
    public string TakeAnswers()
    {
        var text = string.Join(", ", _answers.OrderBy(a => a.Key).Select(a => $"{a.Key}: {a.Value}"));
        _answers.Clear();
        var server = _serverMs.Order().ToArray();
        _serverMs.Clear();
        if (server.Length > 0)
            text += string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"; the service's own time (Server-Timing): p50 {LoadResult.Percentile(server, 50):F2} ms, p99 {LoadResult.Percentile(server, 99):F2} ms, " +
                $"p99.9 {LoadResult.Percentile(server, 99.9):F2} ms, max {server[^1]:F2} ms");
        return text;
    }

    /// <summary>Waits until the host says its card index is filled (its log line), and returns that line.</summary>
    public static async Task<string> IndexFilledAsync(HostProcess host, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (host.Lines.FirstOrDefault(l => l.Contains("Card index filled", StringComparison.Ordinal)) is { } line) return line.Trim();
            await Task.Delay(250);
        }
        throw new TimeoutException("The host did not fill its card index in time.");
    }
}
