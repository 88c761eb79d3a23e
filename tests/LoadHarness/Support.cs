using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using BuildingBlocks.Postgres;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

namespace LoadHarness;

public sealed record HarnessOptions(int Seconds, int Concurrency, int[] Rates, int PopupRate, int Port, bool Durable, bool PopupOnly, bool FlatOnly,
    bool Routing, int Clients, int RoutingRate, bool Recordings, int RebuildEvents, int ExistingClients, bool PlainHarness, bool FloorOnly, bool PauseKernelMemoryScans)
{
    public static HarnessOptions Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var seconds = Math.Clamp(int.Parse(Value("--seconds") ?? "20", CultureInfo.InvariantCulture), 5, 120);
        var concurrency = Math.Clamp(int.Parse(Value("--concurrency") ?? "32", CultureInfo.InvariantCulture), 1, 256);
        var rates = (Value("--rates") ?? "200,500").Split(',').Select(r => Math.Clamp(int.Parse(r, CultureInfo.InvariantCulture), 1, 5000)).ToArray();
        var popupRate = Math.Clamp(int.Parse(Value("--popup-rate") ?? "200", CultureInfo.InvariantCulture), 1, 5000);
        var port = int.Parse(Value("--port") ?? "5077", CultureInfo.InvariantCulture);
        var clients = Math.Clamp(int.Parse(Value("--clients") ?? "1000000", CultureInfo.InvariantCulture), 1, 9_999_999);
        var routingRate = Math.Clamp(int.Parse(Value("--routing-rate") ?? "500", CultureInfo.InvariantCulture), 1, 5000);
        return new(seconds, concurrency, rates, popupRate, port, !args.Contains("--no-fsync"), args.Contains("--popup-only"), args.Contains("--flat-only"),
            args.Contains("--routing"), clients, routingRate, args.Contains("--recordings"),
            args.Contains("--rebuild") ? Math.Clamp(int.Parse(Value("--events") ?? "1000000", CultureInfo.InvariantCulture), 2, 20_000_000) : 0,
            Math.Clamp(int.Parse(Value("--existing-clients") ?? "100000", CultureInfo.InvariantCulture), 0, 9_999_999),
            args.Contains("--plain-harness"), args.Contains("--floor-only"), args.Contains("--pause-kernel-memory-scans"));
    }
}

public static class Tokens
{
    public static string Operator(byte[] key) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Claims = new Dictionary<string, object> { ["sub"] = "load", ["role"] = "operator" },
        Expires = DateTime.UtcNow.AddHours(1),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
    });

    public static string Employee(byte[] key, string tenant, int employeeId, string role = "employee") => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Claims = new Dictionary<string, object> { ["tenant"] = tenant, ["sub"] = employeeId.ToString(), ["role"] = role },
        Expires = DateTime.UtcNow.AddHours(1),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
    });
}

/// <summary>The Release host as a separate process, as in production.</summary>
public sealed class HostProcess : IDisposable
{
    public Process Process { get; }

    /// <summary>What the host printed about its card index.</summary>
    public ConcurrentQueue<string> Lines { get; } = new();

    private HostProcess(Process process) => Process = process;

    public static HostProcess Start(string dll, string connectionString, byte[] key, int port, IReadOnlyDictionary<string, string>? settings = null)
    {
        var info = OwnPriority.ForChild(new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        });
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["ConnectionStrings__Postgres"] = connectionString;
        info.Environment["Auth__SigningKey"] = Convert.ToBase64String(key);
        info.Environment["PublicBaseUrl"] = $"http://127.0.0.1:{port}";
        foreach (var (name, value) in settings ?? new Dictionary<string, string>()) info.Environment[name] = value;
        var process = Process.Start(info)!;
        var host = new HostProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data?.Contains("Card index", StringComparison.Ordinal) == true) host.Lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("host: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Creates a tenant through the admin API; the path of its notification link.</summary>
    public static async Task<string> CreateTenantAsync(HttpClient http, byte[] key, string subdomain, string name)
    {
        var created = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/admin/tenants")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { subdomain, name }),
            Headers = { Authorization = new("Bearer", Tokens.Operator(key)) },
        });
        created.EnsureSuccessStatusCode();
        var link = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(created.Content)).GetProperty("notificationLink").GetString()!;
        return new Uri(link).AbsolutePath;
    }

    public static async Task WaitUntilUpAsync(HttpClient http, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            try
            {
                using var response = await http.GetAsync("/hook/uis/probe");
                if ((int)response.StatusCode == 404) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250);
        }
        throw new TimeoutException("The host did not start.");
    }

    private bool _disposed;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        Process.WaitForExit(10_000);
        Process.Dispose();
    }
}

/// <summary>What PostgreSQL alone does for one append: upsert the stream row, insert one ~300-byte JSONB event.</summary>
public static partial class PgBench
{
    private const string Script = """
        \set n random(1, 1000000000)
        BEGIN;
        INSERT INTO bench_streams (id, version) VALUES (:n, 1) ON CONFLICT (id) DO UPDATE SET version = bench_streams.version + 1;
        INSERT INTO bench_events (stream_id, version, type, data) VALUES (:n, 1, 'call_started', '{"callId":"00000000-0000-4000-8000-000165a0bc00","facts":{"uisCallSessionId":6000000000,"direction":"in","line":{"raw":"74993720692","normalized":"+74993720692"},"client":{"raw":"79000000001","normalized":"+79000000001"},"employee":{"raw":null,"normalized":null},"employeeId":null},"receivedAt":"2026-11-28T10:00:00.0000000+00:00"}');
        COMMIT;
        """;

    public static async Task<double> RunAsync(LocalPostgres postgres, int seconds)
    {
        await using (var connection = new NpgsqlConnection(postgres.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("""
                create table if not exists bench_streams (id bigint primary key, version int not null, timestamp timestamptz default now());
                create table if not exists bench_events (seq bigserial primary key, stream_id bigint not null, version int not null,
                    type text not null, data jsonb not null, timestamp timestamptz default now());
                """, connection);
            await create.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(postgres.ConnectionString);
        var script = Path.GetTempFileName();
        await File.WriteAllTextAsync(script, Script);
        var info = new ProcessStartInfo(Path.Combine(postgres.BinDirectory, "pgbench"),
            ["-n", "-c", "16", "-j", "2", "-T", seconds.ToString(CultureInfo.InvariantCulture), "-f", script,
             "-h", builder.Host!, "-p", builder.Port.ToString(CultureInfo.InvariantCulture), "-U", builder.Username!, builder.Database!])
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        info.Environment["PGPASSWORD"] = builder.Password;
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        File.Delete(script);
        var match = Tps().Match(output);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException("pgbench printed no tps: " + output + await process.StandardError.ReadToEndAsync());
    }

    [GeneratedRegex(@"tps = ([0-9.]+)")]
    private static partial Regex Tps();
}

/// <summary>Wolverine's durable inbox: what Leads has still to handle.</summary>
public static class Backlog
{
    public static async Task<TimeSpan> DrainedAsync(string connectionString, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var pending = new NpgsqlCommand("select count(*) from envycrm.wolverine_incoming_envelopes where status = 'Incoming'", connection);
        while ((long)(await pending.ExecuteScalarAsync())! > 0 && clock.Elapsed < limit) await Task.Delay(100);
        return clock.Elapsed;
    }
}

/// <summary>The host's garbage collector as its <c>/metrics</c> tells it (the runtime's own counters), to set beside a phase's tail.</summary>
public sealed partial record GcReading(double Gen0, double Gen1, double Gen2, double PausedSeconds, double AllocatedBytes)
{
    public static async Task<GcReading?> ReadAsync(HttpClient http)
    {
        try
        {
            var scrape = await http.GetStringAsync("/metrics");
            double Sum(string series, string? generation = null) => Series().Matches(scrape)
                .Where(m => m.Groups["name"].Value == series && (generation is null || m.Groups["labels"].Value.Contains($"gc_heap_generation=\"{generation}\"", StringComparison.Ordinal)))
                .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));
            return new(Sum("dotnet_gc_collections_total", "gen0"), Sum("dotnet_gc_collections_total", "gen1"), Sum("dotnet_gc_collections_total", "gen2"),
                Sum("dotnet_gc_pause_time_seconds_total"), Sum("dotnet_gc_heap_total_allocated_bytes_total"));
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>What the collector did since <paramref name="before"/>, and what it cost.</summary>
    public string Since(GcReading before, int requests) => string.Create(CultureInfo.InvariantCulture,
        $"host GC: {Gen0 - before.Gen0:F0} gen0 / {Gen1 - before.Gen1:F0} gen1 / {Gen2 - before.Gen2:F0} gen2 collections, " +
        $"paused {(PausedSeconds - before.PausedSeconds) * 1000:F0} ms in all, {(AllocatedBytes - before.AllocatedBytes) / Math.Max(1, requests) / 1024:F1} KB allocated per request");

    [GeneratedRegex(@"^(?<name>[a-z_]+)(?:\{(?<labels>[^}]*)\})? (?<value>[0-9.e+]+)", RegexOptions.Multiline)]
    private static partial Regex Series();
}

/// <summary>CPU time of the processes under load, read from /proc: the host and every PostgreSQL process.</summary>
public static class CpuTime
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>The CPU time all processes named <c>postgres</c> have used (their children's exits not counted).</summary>
    public static TimeSpan Postgres()
    {
        if (!OperatingSystem.IsLinux()) return TimeSpan.Zero;
        double ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var close = stat.LastIndexOf(')');
                if (close < 0 || !stat.AsSpan(0, close).EndsWith("(postgres")) continue;
                var fields = stat[(close + 2)..].Split(' ');
                ticks += double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The process ended meanwhile.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>
    /// Waits until the host and PostgreSQL have finished what an earlier phase left them (Leads' queue, the
    /// daemon, autovacuum): under a tenth of a core together for two seconds running, or <paramref name="limit"/>.
    /// </summary>
    public static async Task<TimeSpan> SettledAsync(Process host, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        var quietSince = clock.Elapsed;
        while (clock.Elapsed < limit)
        {
            host.Refresh();
            var before = host.TotalProcessorTime + Postgres();
            await Task.Delay(500);
            host.Refresh();
            var used = host.TotalProcessorTime + Postgres() - before;
            if (used.TotalSeconds / 0.5 > 0.1) quietSince = clock.Elapsed;
            else if (clock.Elapsed - quietSince >= TimeSpan.FromSeconds(2)) break;
        }
        return clock.Elapsed;
    }
}

/// <summary>Context switches of a process's threads, from /proc: on this machine's virtualisation each costs far more than on bare metal.</summary>
public static class ContextSwitches
{
    public static long Of(Process process)
    {
        if (!OperatingSystem.IsLinux()) return 0;
        long total = 0;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{process.Id}/task"))
            {
                try
                {
                    foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                        if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                            total += long.Parse(line[(line.IndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                    // The thread ended meanwhile.
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
        }
        return total;
    }
}
