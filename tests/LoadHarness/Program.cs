using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using BuildingBlocks.Postgres;
using LoadHarness;

// Replays unique UIS notifications against a Release host on 127.0.0.1, flat out and at a fixed
// offered rate, beside a pgbench baseline on the same PostgreSQL. Bounded in time; loopback only.
var options = HarnessOptions.Parse(args);
OwnPriority.Apply(options.PlainHarness);
using var kernelScans = options.PauseKernelMemoryScans ? KernelMemoryScans.Pause() : null;
var repo = RepoRoot();
var hostDll = Path.Combine(repo, "src/Host/bin/Release/net10.0/EnvyCrm.Uis.Host.dll");
if (!File.Exists(hostDll))
{
    Console.Error.WriteLine($"Build the host first: dotnet build -c Release src/Host ({hostDll} is missing).");
    return 2;
}

await using var postgres = await LocalPostgres.StartAsync(
    Path.Combine(Path.GetTempPath(), $"envycrm-load-{Guid.NewGuid():N}"), throwaway: true, durable: options.Durable);
Console.WriteLine($"# Load run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, " +
    (options.Durable ? "PostgreSQL durable (fsync on)" : "PostgreSQL with fsync OFF (diagnosis only)") +
    (options.PlainHarness ? ", plain harness" : ", harness answers inline, dispatcher at nice -10 when root") +
    (Environment.GetEnvironmentVariable("Server__InlineScheduling") is { } inline ? $", host Server:InlineScheduling={inline}" : "") +
    (Environment.GetEnvironmentVariable("Server__RoutingOnTheSocketThread") is { } lane ? $", host Server:RoutingOnTheSocketThread={lane}" : "") +
    (kernelScans is null ? "" : ", " + kernelScans.Describe()));

if (options.RebuildEvents > 0) return await RebuildRun.RunAsync(hostDll, postgres, RandomNumberGenerator.GetBytes(64), options.Port, options.RebuildEvents);
if (options.Recordings) return await RecordingsRun.RunAsync(hostDll, postgres, RandomNumberGenerator.GetBytes(64), options.Port);

var baseline = options.PopupOnly || options.FloorOnly ? double.NaN : await PgBench.RunAsync(postgres, options.Seconds);
Console.WriteLine($"pgbench baseline (stream upsert + ~300-byte JSONB event per transaction, 16 clients, {options.Seconds} s): {baseline:F0} tps");

var key = RandomNumberGenerator.GetBytes(64);
var port = options.Port;
using var firstHost = HostProcess.Start(hostDll, postgres.ConnectionString, key, port);
var host = firstHost;
var baseUrl = $"http://127.0.0.1:{port}";
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
{
    BaseAddress = new Uri(baseUrl),
    Timeout = TimeSpan.FromSeconds(10),
};
await HostProcess.WaitUntilUpAsync(http, TimeSpan.FromSeconds(90));

var hook = await HostProcess.CreateTenantAsync(http, key, "load", "Load test");

var sessions = new SessionSource();
var load = new Load(http, hook, sessions);
if (options.Routing) return await RoutingRunAsync();
if (options.FloorOnly) return await FloorRunAsync();
if (options.PopupOnly)
{
    // A CRM in use: the account already has clients, and PostgreSQL has statistics of them (on a
    // table that grew from nothing within the run, stale statistics sent each lookup by phone through all the account's cards).
    if (options.ExistingClients > 0)
    {
        await RoutingLoad.SeedAsync(postgres.ConnectionString, "load", options.ExistingClients);
        Console.WriteLine($"{options.ExistingClients} clients in the account before the run");
    }
    Console.WriteLine("warming up at the screen-pop rate…");
    // Long enough for tiered JIT and Wolverine's code generation to settle: measure the steady state.
    await load.FixedRateAsync(options.PopupRate, TimeSpan.FromSeconds(20));
    await PopupRunAsync();
    return 0;
}
Console.WriteLine("warming up…");
await load.FlatOutAsync(options.Concurrency, TimeSpan.FromSeconds(Math.Min(10, options.Seconds)));

var flat = await Measured(() => load.FlatOutAsync(options.Concurrency, TimeSpan.FromSeconds(options.Seconds)), $"flat out, {options.Concurrency} concurrent");
Console.WriteLine($"ratio to the pgbench baseline: {flat.Throughput / baseline:P0}");
if (options.FlatOnly) return 0;
foreach (var rate in options.Rates)
    await Measured(() => load.FixedRateAsync(rate, TimeSpan.FromSeconds(options.Seconds)), $"offered {rate}/s");
await PopupRunAsync();
load.ProbeUrl = "/api/calls";
await Measured(() => load.FixedRateAsync(options.Rates.Max(), TimeSpan.FromSeconds(options.Seconds)),
    $"floor: offered {options.Rates.Max()}/s of 401 answers without database work");
Console.WriteLine($"host working set at the end: {host.Process.WorkingSet64 / 1024 / 1024} MB");
return 0;

// Every call of the run is from a new number, so each makes a lead: the heaviest case for Leads.
async Task PopupRunAsync()
{
    // Leads works behind the acknowledgements; measure the pop in steady state, after what earlier phases left queued.
    var drained = await Backlog.DrainedAsync(postgres.ConnectionString, TimeSpan.FromSeconds(120));
    Console.WriteLine($"Leads' queue drained {drained.TotalSeconds:F1} s after the previous phase");
    await using var popups = await PopupWatch.OpenAsync(http, Tokens.Employee(key, "load", 1));
    load.StartScheduled = popups.Expect;
    await Measured(() => load.FixedRateAsync(options.PopupRate, TimeSpan.FromSeconds(options.Seconds)),
        $"screen pop: offered {options.PopupRate}/s, every caller new (a lead each), one employee's stream open");
    await Task.Delay(TimeSpan.FromSeconds(3));
    Console.WriteLine(popups.Describe($"screen pop at {options.PopupRate}/s"));
    load.StartScheduled = null;
}

// Routing requests while a caller waits: the lookup holds a million clients (issue 4).
async Task<int> RoutingRunAsync()
{
    var routing = new RoutingLoad(http, "load", options.Clients);
    await routing.SetUpAsync(Tokens.Employee(key, "load", 1, role: "admin"));
    var seeding = Stopwatch.StartNew();
    await RoutingLoad.SeedAsync(postgres.ConnectionString, "load", options.Clients);
    Console.WriteLine($"seeded {options.Clients:N0} clients in {seeding.Elapsed.TotalSeconds:F0} s; restarting the host so that it reads them at start-up");
    firstHost.Dispose();
    using var restarted = HostProcess.Start(hostDll, postgres.ConnectionString, key, port);
    host = restarted;
    await HostProcess.WaitUntilUpAsync(http, TimeSpan.FromSeconds(90));
    Console.WriteLine("host: " + await RoutingLoad.IndexFilledAsync(host, TimeSpan.FromMinutes(5)));
    host.Process.Refresh();
    Console.WriteLine($"host working set with the index filled: {host.Process.WorkingSet64 / 1024 / 1024} MB");

    Console.WriteLine("warming up (routing and notifications)…");
    await Task.WhenAll(routing.FixedRateAsync(options.RoutingRate, TimeSpan.FromSeconds(20)), load.FixedRateAsync(options.RoutingRate, TimeSpan.FromSeconds(20)));
    routing.TakeAnswers();
    await Backlog.DrainedAsync(postgres.ConnectionString, TimeSpan.FromSeconds(120));
    await Settled();

    await Measured(() => routing.FixedRateAsync(options.RoutingRate, TimeSpan.FromSeconds(options.Seconds)),
        $"routing alone: offered {options.RoutingRate}/s", "routing requests");
    Console.WriteLine("  answers: " + routing.TakeAnswers());

    await FloorsAsync(routing, "floor");
    await Settled();

    var notifications = Task.Run(() => load.FixedRateAsync(options.RoutingRate, TimeSpan.FromSeconds(options.Seconds)));
    await Measured(() => routing.FixedRateAsync(options.RoutingRate, TimeSpan.FromSeconds(options.Seconds)),
        $"routing beside notifications: offered {options.RoutingRate}/s of each; routing", "routing requests");
    Console.WriteLine("  answers: " + routing.TakeAnswers());
    Console.WriteLine((await notifications).Describe("  the notifications meanwhile"));
    host.Process.Refresh();
    Console.WriteLine($"host working set at the end: {host.Process.WorkingSet64 / 1024 / 1024} MB");
    return 0;
}

// The service's floor against the bare app's, alternating in the same minutes: where the service's own pipeline and process cost.
async Task<int> FloorRunAsync()
{
    var routing = new RoutingLoad(http, "load", 1000);
    await routing.SetUpAsync(Tokens.Employee(key, "load", 1, role: "admin"));
    await routing.FloorAsync(options.RoutingRate, TimeSpan.FromSeconds(20));
    routing.TakeAnswers();
    for (var round = 1; round <= 3; round++) await FloorsAsync(routing, $"floor {round}");
    return 0;
}

// The service's plainest answer, then the bare app's, each from quiet.
async Task FloorsAsync(RoutingLoad routing, string name)
{
    await Settled();
    await Measured(() => routing.FloorAsync(options.RoutingRate, TimeSpan.FromSeconds(options.Seconds)),
        $"{name}: offered {options.RoutingRate}/s to the routing URL with another event (404 before any routing work)", "requests");
    Console.WriteLine("  answers: " + routing.TakeAnswers());
    await Settled();
    await BareFloorAsync(options.RoutingRate);
}

// Each phase starts from a quiet host and database, not in what the previous phase left running.
async Task Settled() => Console.WriteLine($"  (host and PostgreSQL quiet after {(await CpuTime.SettledAsync(host.Process, TimeSpan.FromSeconds(60))).TotalSeconds:F1} s)");

async Task<LoadResult> Measured(Func<Task<LoadResult>> run, string name, string unit = "notifications", Process? server = null)
{
    server ??= host.Process;
    var self = Process.GetCurrentProcess();
    var switchesBefore = ContextSwitches.Of(server);
    var (hostBefore, serverBefore, selfBefore, postgresBefore) = (host.Process.TotalProcessorTime, server.TotalProcessorTime, self.TotalProcessorTime, CpuTime.Postgres());
    var gcBefore = await GcReading.ReadAsync(http);
    var (ownCollectionsBefore, ownPauseBefore) = (GC.CollectionCount(0), GC.GetTotalPauseDuration());
    var result = await run();
    var (ownCollections, ownPause) = (GC.CollectionCount(0) - ownCollectionsBefore, GC.GetTotalPauseDuration() - ownPauseBefore);
    var gcAfter = await GcReading.ReadAsync(http);
    var switches = ContextSwitches.Of(server) - switchesBefore;
    self.Refresh();
    host.Process.Refresh();
    server.Refresh();
    double Share(TimeSpan used) => used.TotalSeconds / result.Elapsed.TotalSeconds;
    Console.WriteLine(result.Describe(name, unit) +
        $"; CPU: host {Share(host.Process.TotalProcessorTime - hostBefore):P0}{(server == host.Process ? "" : $", bare app {Share(server.TotalProcessorTime - serverBefore):P0}")}, PostgreSQL {Share(CpuTime.Postgres() - postgresBefore):P0}, load generator {Share(self.TotalProcessorTime - selfBefore):P0} (of one core)" +
        (gcBefore is not null && gcAfter is not null ? "; " + gcAfter.Since(gcBefore, result.Ok + result.Failed) : "") +
        string.Create(CultureInfo.InvariantCulture, $"; load generator GC: {ownCollections} collections, paused {ownPause.TotalMilliseconds:F0} ms") +
        string.Create(CultureInfo.InvariantCulture, $"; {(double)switches / Math.Max(1, result.Ok + result.Failed):F1} context switches per request in the {(server == host.Process ? "host" : "bare app")}"));
    return result;
}

// Control for the floor: the same open loop against a bare ASP.NET Core app in a process of its own
// (the UIS simulator, answering 404 to an unknown path): what the machine, Kestrel and the load generator cost without any of the service.
async Task BareFloorAsync(int perSecond)
{
    var simulatorDll = Path.Combine(repo, "src/UisSimulator/bin/Release/net10.0/UisSimulator.dll");
    var barePort = port + 1;
    using var bare = Process.Start(OwnPriority.ForChild(new ProcessStartInfo("dotnet", [simulatorDll, "--port", barePort.ToString(CultureInfo.InvariantCulture)])
    {
        UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
    }))!;
    bare.OutputDataReceived += (_, _) => { };
    bare.ErrorDataReceived += (_, _) => { };
    bare.BeginOutputReadLine();
    bare.BeginErrorReadLine();
    try
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512 }) { BaseAddress = new Uri($"http://127.0.0.1:{barePort}") };
        await HostProcess.WaitUntilUpAsync(client, TimeSpan.FromSeconds(60));
        Func<Task<bool>> Probe() => async () =>
        {
            try
            {
                using var response = await client.GetAsync("/hook/uis/probe");
                return (int)response.StatusCode == 404;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        };
        await OpenLoop.RunAsync(perSecond, TimeSpan.FromSeconds(10), (_, _) => Probe());
        await Measured(() => OpenLoop.RunAsync(perSecond, TimeSpan.FromSeconds(options.Seconds), (_, _) => Probe()),
            $"bare floor: offered {perSecond}/s to a bare ASP.NET Core app answering 404 (the UIS simulator; the service idle)", "requests", bare);
    }
    finally
    {
        bare.Kill(entireProcessTree: true);
    }
}

static string RepoRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EnvyCrm.Uis.slnx"))) dir = dir.Parent;
    return dir?.FullName ?? throw new InvalidOperationException("Run the harness from inside the repository.");
}
