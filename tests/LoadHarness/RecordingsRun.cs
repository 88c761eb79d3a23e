using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using BuildingBlocks.Postgres;
using Microsoft.AspNetCore.Http;
using UisSimulator;

namespace LoadHarness;

/// <summary>
/// Issue 6's memory target: ten 50 MB recordings archived at once, while the host's working set is
/// sampled every 50 ms. The recordings come from the UIS simulator over HTTPS on loopback.
/// </summary>
public static class RecordingsRun
{
    public const int Count = 10;
    public const long Size = 50L * 1024 * 1024;

    public static async Task<int> RunAsync(string hostDll, LocalPostgres postgres, byte[] key, int port)
    {
        await using var simulator = await Simulator.StartAsync();
        var chunk = new byte[64 * 1024];
        Random.Shared.NextBytes(chunk);
        for (var i = 0; i < Count; i++)
        {
            var first = (byte[])chunk.Clone();
            first[0] = (byte)i; // ten different files, streamed without being held in memory here either
            simulator.State.MediaFaults[$"big-{i}.bin"] = context =>
            {
                context.Response.ContentLength = Size;
                return Results.Stream(async body =>
                {
                    for (long sent = 0; sent < Size; sent += chunk.Length)
                        await body.WriteAsync((sent == 0 ? first : chunk).AsMemory(0, (int)Math.Min(chunk.Length, Size - sent)));
                }, "audio/mpeg");
            };
        }
        var certificate = Path.Combine(Path.GetTempPath(), $"envycrm-media-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(certificate, simulator.MediaCertificate.ExportCertificatePem());
        var storage = Path.Combine(Path.GetTempPath(), $"envycrm-recordings-{Guid.NewGuid():N}");
        using var host = HostProcess.Start(hostDll, postgres.ConnectionString, key, port, new Dictionary<string, string>
        {
            ["Recordings__AllowedHosts__0"] = "localhost",
            ["Recordings__TrustedCertificatePath"] = certificate,
            ["Recordings__Path"] = storage,
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            await HostProcess.WaitUntilUpAsync(http, TimeSpan.FromSeconds(90));
            var hook = await HostProcess.CreateTenantAsync(http, key, "media", "Recordings");
            var admin = Tokens.Employee(key, "media", 1, role: "admin");

            // Warm-up: one small recording archived end to end, so the JIT and the first connections are not counted.
            await EndWithRecordingAsync(http, hook, 7_000_000_000, new Uri(simulator.State.MediaBase!, "warm-up.wav").ToString());
            await ArchivedAsync(http, admin, 1, TimeSpan.FromSeconds(60));
            await Task.Delay(TimeSpan.FromSeconds(2));
            host.Process.Refresh();
            var before = host.Process.WorkingSet64;

            var clock = Stopwatch.StartNew();
            for (var i = 0; i < Count; i++)
                await EndWithRecordingAsync(http, hook, 7_000_000_001 + i, new Uri(simulator.State.MediaBase!, $"big-{i}.bin").ToString());
            var peak = before;
            var done = false;
            while (!done && clock.Elapsed < TimeSpan.FromMinutes(5))
            {
                for (var sample = 0; sample < 20; sample++)
                {
                    host.Process.Refresh();
                    peak = Math.Max(peak, host.Process.WorkingSet64);
                    await Task.Delay(50);
                }
                done = await ArchivedAsync(http, admin, Count + 1, TimeSpan.Zero);
            }
            var elapsed = clock.Elapsed;
            const double mb = 1024 * 1024;
            Console.WriteLine($"recordings: {Count} × {Size / mb:F0} MB archived at once {(done ? "" : "(NOT ALL ARCHIVED) ")}in {elapsed.TotalSeconds:F1} s " +
                $"({Count * Size / mb / elapsed.TotalSeconds:F0} MB/s); host working set {before / mb:F0} MB before, peak {peak / mb:F0} MB: " +
                $"growth {(peak - before) / mb:F0} MB");
            Console.WriteLine($"stored files: {Directory.GetFiles(storage).Length} (the warm-up and the ten)");
            return done ? 0 : 1;
        }
        finally
        {
            File.Delete(certificate);
            if (Directory.Exists(storage)) Directory.Delete(storage, recursive: true);
        }
    }

    private static async Task EndWithRecordingAsync(HttpClient http, string hook, long session, string link)
    {
        var links = Uri.EscapeDataString(JsonSerializer.Serialize(new[] { link }));
        using var response = await http.GetAsync($"{hook}?event=call_end&line_number=74993720692&client_number=%2279000000001%22" +
            $"&call_hash={session}&direction=%22in%22&talk_time_duration=60&record_links={links}");
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Whether at least this many recordings are archived (waiting up to <paramref name="wait"/>).</summary>
    private static async Task<bool> ArchivedAsync(HttpClient http, string token, int atLeast, TimeSpan wait)
    {
        var clock = Stopwatch.StartNew();
        do
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/calls?limit=100") { Headers = { Authorization = new("Bearer", token) } };
            using var response = await http.SendAsync(request);
            var page = await response.Content.ReadFromJsonAsync<JsonElement>();
            var archived = page.GetProperty("items").EnumerateArray()
                .SelectMany(c => c.GetProperty("recordings").EnumerateArray()).Count(r => r.GetProperty("status").GetString() == "archived");
            if (archived >= atLeast) return true;
            await Task.Delay(200);
        }
        while (clock.Elapsed < wait);
        return false;
    }
}
