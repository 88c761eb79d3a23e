using System.Diagnostics;
using TestSupport;
using System.Net;

namespace IntegrationTests.Host;

/// <summary>The README's first command on a machine with nothing set up: the host starts its own PostgreSQL and stops it on exit.</summary>
public sealed class RunCommandTests
{
    [Fact]
    public async Task Without_a_connection_string_the_host_runs_its_own_postgres_under_dot_data_and_stops_it_on_exit()
    {
        var contentRoot = Directory.CreateTempSubdirectory("envycrm-run-").FullName;
        // A checkout folder is usually readable by others; CreateTempSubdirectory makes it private.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(contentRoot, (UnixFileMode)0b111_101_101);
        var port = HostBinary.FreePort();
        var info = new ProcessStartInfo("dotnet", [HostBinary.Dll(), "--urls", $"http://127.0.0.1:{port}", "--contentRoot", contentRoot])
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment.Remove("ConnectionStrings__Postgres");
        info.Environment.Remove("Auth__SigningKey");
        using var host = Process.Start(info)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        host.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        host.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        host.BeginOutputReadLine();
        host.BeginErrorReadLine();
        var pidFile = Path.Combine(contentRoot, ".data", "postgres", "cluster", "postmaster.pid");
        HttpResponseMessage? events = null;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var status = await PollAsync(http, host, TimeSpan.FromSeconds(90));
            status.Should().Be(HttpStatusCode.Unauthorized, "the API answers (without a token) once the host is up: " + string.Join("\n", output));
            File.Exists(pidFile).Should().BeTrue("PostgreSQL runs from the data folder under .data/");
            File.Exists(Path.Combine(contentRoot, ".data", "signing-key")).Should().BeTrue();
            events = await OpenEventStreamAsync(http, Convert.FromBase64String(File.ReadAllText(Path.Combine(contentRoot, ".data", "signing-key"))));
        }
        finally
        {
            var stopping = Stopwatch.StartNew();
            using (var term = Process.Start("kill", ["-TERM", host.Id.ToString()])) await term!.WaitForExitAsync();
            var exited = host.WaitForExit(60_000);
            if (events is not null)
            {
                // The server ends open event streams when it stops, instead of waiting out the 30 s shutdown timeout.
                var body = await events.Content.ReadAsStreamAsync();
                using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(25));
                try
                {
                    while (await body.ReadAsync(new byte[1024], patience.Token) > 0) { }
                }
                catch (Exception e) when (e is OperationCanceledException or IOException) { }
                stopping.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20), "the stream ends when the host stops, not at the 30 s shutdown timeout");
            }
            if (!exited) host.Kill(entireProcessTree: true);
            exited.Should().BeTrue();
        }
        File.Exists(pidFile).Should().BeFalse("the host stops its PostgreSQL when it exits");
        Directory.Exists(Path.Combine(contentRoot, ".data", "postgres", "cluster")).Should().BeTrue("the data survives restarts");
        Directory.Delete(contentRoot, recursive: true);
    }

    private static async Task<HttpResponseMessage> OpenEventStreamAsync(HttpClient http, byte[] signingKey)
    {
        var subdomain = "run" + Guid.NewGuid().ToString("N")[..8];
        using var create = new HttpRequestMessage(HttpMethod.Post, "/admin/tenants")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { subdomain, name = "Run", timeZone = "Europe/Moscow" }),
        };
        create.Headers.Authorization = new("Bearer", global::Host.Security.TokenIssuer.ForOperator(signingKey));
        (await http.SendAsync(create)).StatusCode.Should().Be(HttpStatusCode.Created);
        var open = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        open.Headers.Authorization = new("Bearer", global::Host.Security.TokenIssuer.ForEmployee(signingKey, subdomain, 1));
        var events = await http.SendAsync(open, HttpCompletionOption.ResponseHeadersRead);
        events.StatusCode.Should().Be(HttpStatusCode.OK);
        var first = new byte[256];
        (await (await events.Content.ReadAsStreamAsync()).ReadAsync(first)).Should().BeGreaterThan(0, "the stream opens with its ready event");
        return events;
    }

    private static async Task<HttpStatusCode?> PollAsync(HttpClient http, Process host, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return (await http.GetAsync("/api/calls")).StatusCode;
            }
            catch (HttpRequestException) when (clock.Elapsed > timeout || host.HasExited)
            {
                return null;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(250);
            }
        }
    }
}
