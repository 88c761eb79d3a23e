using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using BuildingBlocks.Postgres;
using IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using UisSimulator;

namespace IntegrationTests.Host;

/// <summary>Durable work survives the process: a recording whose download was cut by a crash is archived after the restart.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task A_download_cut_by_a_crash_ends_archived_after_the_restart()
    {
        await using var postgres = await LocalPostgres.StartAsync(Path.Combine(Path.GetTempPath(), $"envycrm-restart-{Guid.NewGuid():N}"), throwaway: true);
        await using var uis = await Simulator.StartAsync();
        var source = Playback.Recording();
        var first = true;
        // The first download hangs half-way (the host is killed meanwhile); later ones get the file.
        uis.State.MediaFaults["slow.wav"] = context =>
        {
            if (!Interlocked.Exchange(ref first, false)) return Results.File(source, "audio/wav");
            context.Response.ContentLength = source.Length;
            return Results.Stream(async body =>
            {
                await body.WriteAsync(source.AsMemory(0, source.Length / 2));
                await body.FlushAsync();
                await Task.Delay(TimeSpan.FromMinutes(2), context.RequestAborted);
            }, "audio/wav");
        };
        var certificate = Path.Combine(Path.GetTempPath(), $"envycrm-media-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(certificate, uis.MediaCertificate.ExportCertificatePem());
        var key = RandomNumberGenerator.GetBytes(64);
        var port = TestSupport.HostBinary.FreePort();
        var storage = Directory.CreateTempSubdirectory("envycrm-restart-recordings-").FullName;
        Process Start()
        {
            var info = new ProcessStartInfo("dotnet", [TestSupport.HostBinary.Dll(), "--urls", $"http://127.0.0.1:{port}"])
            {
                UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
            };
            info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            info.Environment["ConnectionStrings__Postgres"] = postgres.ConnectionString;
            info.Environment["Auth__SigningKey"] = Convert.ToBase64String(key);
            info.Environment["Recordings__AllowedHosts__0"] = "localhost";
            info.Environment["Recordings__TrustedCertificatePath"] = certificate;
            info.Environment["Recordings__Path"] = storage;
            var process = Process.Start(info)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return process;
        }

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        var crashed = Start();
        Process? restarted = null;
        try
        {
            await UpAsync(http);
            var subdomain = "restart" + Guid.NewGuid().ToString("N")[..8];
            var created = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/admin/tenants")
            {
                Content = JsonContent.Create(new { subdomain, name = "Restart" }),
                Headers = { Authorization = new("Bearer", global::Host.Security.TokenIssuer.ForOperator(key)) },
            });
            var hook = new Uri((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("notificationLink").GetString()!).AbsolutePath;
            var links = Uri.EscapeDataString(JsonSerializer.Serialize(new[] { new Uri(uis.State.MediaBase!, "slow.wav").ToString() }));
            (await http.GetAsync($"{hook}?event=call_end&call_hash=4000000001&direction=%22in%22&client_number=79260000001&talk_time_duration=9&record_links={links}"))
                .EnsureSuccessStatusCode();
            await Eventually.Async(() => Task.FromResult(uis.State.MediaRequests.Count), n => n > 0);

            crashed.Kill(entireProcessTree: true); // no graceful stop: the download is cut half-way
            await crashed.WaitForExitAsync();
            restarted = Start();
            await UpAsync(http);

            var token = global::Host.Security.TokenIssuer.ForEmployee(key, subdomain, 1);
            var status = await Eventually.Async(async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/calls") { Headers = { Authorization = new("Bearer", token) } };
                var page = await (await http.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();
                return page.GetProperty("items")[0].GetProperty("recordings")[0].GetProperty("status").GetString();
            }, s => s != "pending", TimeSpan.FromMinutes(3));
            status.Should().Be("archived");
            uis.State.MediaRequests.Count.Should().BeGreaterThanOrEqualTo(2, "the download started again after the restart");
        }
        finally
        {
            if (!crashed.HasExited) crashed.Kill(entireProcessTree: true);
            if (restarted is { HasExited: false }) restarted.Kill(entireProcessTree: true);
            restarted?.WaitForExit(10_000);
            File.Delete(certificate);
            Directory.Delete(storage, recursive: true);
        }
    }

    private static async Task UpAsync(HttpClient http)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            try
            {
                if ((int)(await http.GetAsync("/api/calls")).StatusCode == 401) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250);
        }
        throw new TimeoutException("The host did not start.");
    }
}
