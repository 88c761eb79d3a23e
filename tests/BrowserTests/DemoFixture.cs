using System.Collections.Concurrent;
using System.Diagnostics;
using TestSupport;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace BrowserTests;

/// <summary>
/// The README's demo command, run as a process (<c>EnvyCrm.Uis.Host.dll demo</c>) on a free loopback
/// port with a throwaway data folder (its own PostgreSQL and the simulator inside), and Debian's
/// Chromium driven by Playwright, headless. Nothing is downloaded.
/// </summary>
public sealed class DemoFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private Process _host = null!;
    private string _contentRoot = null!;
    private IPlaywright _playwright = null!;
    public ConcurrentQueue<string> HostOutput { get; } = new();
    public IBrowser Browser { get; private set; } = null!;
    public Uri BaseUrl { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    /// <summary>Demo employee id → sign-in token.</summary>
    public Dictionary<int, string> Tokens { get; } = new();

    public async Task InitializeAsync()
    {
        _contentRoot = Directory.CreateTempSubdirectory("envycrm-demo-").FullName;
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(_contentRoot, (UnixFileMode)0b111_101_101);
        var port = HostBinary.FreePort();
        BaseUrl = new Uri($"http://127.0.0.1:{port}");
        var hostDll = HostBinary.Dll();
        var info = new ProcessStartInfo("dotnet", [hostDll, "demo", "--urls", BaseUrl.ToString().TrimEnd('/'), "--contentRoot", _contentRoot,
            "--webroot", Path.Combine(Path.GetDirectoryName(hostDll)!, "wwwroot")])
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["Demo__RingSeconds"] = "3";
        info.Environment.Remove("ConnectionStrings__Postgres");
        info.Environment.Remove("Auth__SigningKey");
        _host = Process.Start(info)!;
        _host.OutputDataReceived += (_, e) => { if (e.Data is not null) HostOutput.Enqueue(e.Data); };
        _host.ErrorDataReceived += (_, e) => { if (e.Data is not null) HostOutput.Enqueue(e.Data); };
        _host.BeginOutputReadLine();
        _host.BeginErrorReadLine();

        Http = new HttpClient { BaseAddress = BaseUrl };
        var clock = Stopwatch.StartNew();
        while (!HostOutput.Any(l => l.Contains("Demo ready", StringComparison.Ordinal)))
        {
            if (_host.HasExited || clock.Elapsed > TimeSpan.FromSeconds(120))
                throw new InvalidOperationException("The demo did not start:\n" + string.Join("\n", HostOutput));
            await Task.Delay(200);
        }
        foreach (var employee in await Http.GetFromJsonAsync<JsonElement>("/demo/employees") is var list ? list.EnumerateArray() : default)
            Tokens[employee.GetProperty("id").GetInt32()] = employee.GetProperty("token").GetString()!;

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true, Args = ["--no-sandbox"] });
    }

    /// <summary>A page signed in as the demo employee (its token in local storage, as the sign-in picker leaves it).</summary>
    public async Task<IPage> SignedInPageAsync(int employeeId, int width = 1280, int height = 800, List<string>? consoleErrors = null)
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, BaseURL = BaseUrl.ToString() });
        await context.AddInitScriptAsync($"localStorage.setItem('token', '{Tokens[employeeId]}');");
        var page = await context.NewPageAsync();
        if (consoleErrors is not null)
        {
            page.Console += (_, message) => { if (message.Type == "error") consoleErrors.Add($"{page.Url}: {message.Text}"); };
            page.PageError += (_, error) => consoleErrors.Add($"{page.Url}: {error}");
        }
        return page;
    }

    public async Task<JsonElement> GetAsync(string url, int employeeId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new("Bearer", Tokens[employeeId]);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, int employeeId, object? body = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new("Bearer", Tokens[employeeId]);
        return await Http.SendAsync(request);
    }

    /// <summary>Runs a test's steps; on failure the page is saved as a screenshot under TestResults/screenshots.</summary>
    public static async Task WithScreenshotOnFailureAsync(IPage page, string name, Func<Task> steps)
    {
        try
        {
            await steps();
        }
        catch
        {
            var folder = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
        Http.Dispose();
        using (var term = Process.Start("kill", ["-TERM", _host.Id.ToString()])) await term!.WaitForExitAsync();
        if (!_host.WaitForExit(60_000)) _host.Kill(entireProcessTree: true);
        try
        {
            Directory.Delete(_contentRoot, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DemoCollection : ICollectionFixture<DemoFixture>
{
    public const string Name = "demo";
}
