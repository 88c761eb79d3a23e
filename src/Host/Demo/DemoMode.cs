using System.Net.Http.Json;
using System.Text.Json;
using BuildingBlocks.Tenancy;
using Host.Security;
using Marten;
using UisSimulator;

namespace Host.Demo;

/// <summary>
/// <c>dotnet run --project src/Host -- demo</c>: the host with a demo account (employees, a line, a few
/// clients) and the UIS simulator in the same process, wired both ways: the host's Call and Data API
/// calls go to the simulator, the simulator's notifications and routing requests come to the host.
/// The console then offers a picker of the demo employees and a button that plays an incoming call.
/// </summary>
public static class DemoMode
{
    public const string Tenant = "demo";
    public const string Line = "+74993720692";

    public sealed record DemoEmployee(int Id, string FullName, string? Role, long UisEmployeeId, string Phone);

    public static readonly DemoEmployee[] Employees =
    [
        new(1, "Ольга Админова", "admin", 100001, "+79160000001"),
        new(7, "Анна Смирнова", null, 100007, "+79160000007"),
        new(8, "Игорь Петров", null, 100008, "+79160000008"),
    ];

    private static readonly (string Name, string Phone, int? Manager)[] Clients =
    [
        ("ООО «Ромашка»", "+79161234567", 7),
        ("Иван Кузнецов", "+79031112233", 8),
        ("ИП Соколова", "+79265550101", null),
    ];

    public static bool IsOn(IConfiguration configuration) => configuration.GetValue("Demo:Enabled", false);

    /// <summary>Before the host is built: the simulator runs, and the host's settings point at it.</summary>
    public static async Task<Simulator> StartSimulatorAsync(WebApplicationBuilder builder)
    {
        var state = new SimulatorState { RingTime = TimeSpan.FromSeconds(builder.Configuration.GetValue("Demo:RingSeconds", 8.0)), TalkSeconds = 37 };
        foreach (var employee in Employees)
            state.Employees[employee.UisEmployeeId] = new SimulatedEmployee(employee.UisEmployeeId, employee.FullName, [employee.Phone.TrimStart('+')]);
        // One UIS employee the CRM does not know yet: what the settings page's import is for.
        state.Employees[100009] = new SimulatedEmployee(100009, "Сергей Новиков", ["79160000009"]);
        var simulator = await Simulator.StartAsync(state);
        var certificate = Path.Combine(HostPaths.DataDirectory(builder.Environment), "demo-media.pem");
        Directory.CreateDirectory(Path.GetDirectoryName(certificate)!);
        await File.WriteAllTextAsync(certificate, simulator.MediaCertificate.ExportCertificatePem());
        // The notification link the setup page shows is the address the demo listens on.
        var listening = builder.Configuration["urls"]?.Split(';')[0];
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Demo:Enabled"] = "true",
            ["PublicBaseUrl"] = listening is not null && !listening.EndsWith(":0") ? listening : builder.Configuration["PublicBaseUrl"],
            ["Uis:CallApiUrl"] = simulator.CallApiUrl.ToString(),
            ["Uis:DataApiUrl"] = simulator.DataApiUrl.ToString(),
            ["Recordings:AllowedHosts:0"] = "localhost",
            ["Recordings:TrustedCertificatePath"] = certificate,
            ["Projections:Daemon"] = "Solo",
        });
        builder.Services.AddSingleton(simulator);
        return simulator;
    }

    /// <summary>Once the host listens: the demo account through the API (again on every start: each step is idempotent).</summary>
    public static async Task SeedAsync(WebApplication app, Simulator simulator, byte[] signingKey)
    {
        var address = new Uri(app.Urls.First().Replace("://0.0.0.0", "://127.0.0.1").Replace("://[::]", "://127.0.0.1"));
        using var http = new HttpClient { BaseAddress = address };
        var created = await SendAsync(http, HttpMethod.Post, "/admin/tenants", TokenIssuer.ForOperator(signingKey),
            new { subdomain = Tenant, name = "Демо-компания", timeZone = "Europe/Moscow" }, existsAlready: true);
        var secret = created.IsSuccessStatusCode
            ? new Uri((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("notificationLink").GetString()!).Segments[^1]
            : await ExistingSecretAsync(app.Services);

        var admin = TokenIssuer.ForEmployee(signingKey, Tenant, 1, "admin");
        await SendAsync(http, HttpMethod.Put, "/api/settings/lines", admin, new { lines = new[] { Line } });
        foreach (var employee in Employees)
            await SendAsync(http, HttpMethod.Put, $"/api/settings/employees/{employee.Id}", admin,
                new { fullName = employee.FullName, uisEmployeeId = employee.UisEmployeeId, phones = new[] { employee.Phone } });
        await SendAsync(http, HttpMethod.Put, "/api/settings/uis", admin, new { apiKey = "sim-token" });
        await SendAsync(http, HttpMethod.Put, "/api/settings/routing", admin,
            new { enabled = true, allowedSources = new[] { "127.0.0.1" }, greeting = new { text = "Соединяем с вашим менеджером" } });
        foreach (var (name, phone, manager) in Clients)
        {
            var found = await (await SendAsync(http, HttpMethod.Get, $"/api/clients?phone={Uri.EscapeDataString(phone)}", admin)).Content
                .ReadFromJsonAsync<JsonElement>();
            if (found.GetProperty("items").GetArrayLength() == 0)
                await SendAsync(http, HttpMethod.Post, "/api/clients", admin, new { name, phones = new[] { phone }, personalManagerId = manager });
        }

        var link = new Uri(address, $"/hook/uis/{secret}").ToString();
        simulator.State.Crm = new CrmTarget(new HttpClient(), link, link + "?event=redirect_incoming");
        app.Logger.LogInformation("Demo ready at {Address}: open it and pick an employee", address);
    }

    public static void MapDemo(this WebApplication app)
    {
        var on = IsOn(app.Configuration);
        app.MapGet("/console/config", () => new { demo = on }).WithTags("Console")
            .WithSummary("What the console needs before sign-in: whether this is the demo (then /demo/employees offers the employees).");
        if (!on) return;
        var demo = app.MapGroup("/demo").WithTags("Demo");
        demo.MapGet("/employees", (SigningKeyHolder key) => Employees.Select(e => new
        {
            e.Id, e.FullName, role = e.Role ?? "employee", token = TokenIssuer.ForEmployee(key.Key, Tenant, e.Id, e.Role, TimeSpan.FromDays(30)),
        })).WithSummary("Demo only: the demo employees with a sign-in token each.");
        demo.MapPost("/incoming", (string? from, double? ringSeconds, Simulator simulator) =>
        {
            var caller = from is { Length: > 0 } ? from.TrimStart('+') : "7926" + Random.Shared.Next(1_000_000, 9_999_999);
            if (ringSeconds is { } seconds) simulator.State.RingTime = TimeSpan.FromSeconds(Math.Clamp(seconds, 0, 120));
            _ = Task.Run(() => Simulator.PlayIncomingAsync(simulator.State, caller, Line.TrimStart('+')));
            return TypedResults.Accepted((string?)null, new { from = "+" + caller });
        }).RequireAuthorization(Auth.Employee).WithSummary("Demo only: the simulator plays an incoming call from the number (random when omitted).");
    }

    private static async Task<string> ExistingSecretAsync(IServiceProvider services)
    {
        await using var session = services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.LoadAsync<Integration.Tenants.Tenant>(Tenant))!.NotificationSecret;
    }

    /// <param name="existsAlready">A conflict means an earlier start made it: the caller carries on.</param>
    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string url, string token, object? body = null,
        bool existsAlready = false)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new("Bearer", token);
        var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode && !(existsAlready && response.StatusCode == System.Net.HttpStatusCode.Conflict))
            throw new InvalidOperationException($"Demo set-up: {method} {url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response;
    }
}

/// <summary>The signing key, for the demo's sign-in tokens.</summary>
public sealed record SigningKeyHolder(byte[] Key);
