using System.Net.Http.Json;
using System.Text.Json;
using Alba;
using Host.Security;

namespace IntegrationTests.Infrastructure;

/// <summary>Preconditions built through the API, the way the CRM and UIS would build them.</summary>
public static class Scenarios
{
    public static readonly string OperatorToken = TokenIssuer.ForOperator(AppFixture.SigningKey);

    public sealed record TestTenant(string Id, string NotificationLink, string Secret)
    {
        public string HookPath => $"/hook/uis/{Secret}";
        public string AdminToken => TokenIssuer.ForEmployee(AppFixture.SigningKey, Id, 1, "admin");
        public string EmployeeToken(int employeeId) => TokenIssuer.ForEmployee(AppFixture.SigningKey, Id, employeeId);
    }

    public static string NewSubdomain() => "t" + Guid.NewGuid().ToString("N")[..12];

    public static async Task<TestTenant> CreateTenantAsync(this IAlbaHost host, string? subdomain = null)
    {
        subdomain ??= NewSubdomain();
        var result = await host.Scenario(s =>
        {
            s.Post.Json(new { subdomain, name = "Test " + subdomain, timeZone = "Europe/Moscow" }).ToUrl("/admin/tenants");
            s.WithBearerToken(OperatorToken);
            s.StatusCodeShouldBe(201);
        });
        var link = (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("notificationLink").GetString()!;
        return new TestTenant(subdomain, link, link[(link.LastIndexOf('/') + 1)..]);
    }

    public static async Task PutEmployeeAsync(this IAlbaHost host, TestTenant tenant, int employeeId, params string[] phones) =>
        await host.Scenario(s =>
        {
            s.Put.Json(new { fullName = $"Employee {employeeId}", uisEmployeeId = 1000 + employeeId, phones })
                .ToUrl($"/api/settings/employees/{employeeId}");
            s.WithBearerToken(tenant.AdminToken);
            s.StatusCodeShouldBeOk();
        });

    /// <summary>A GET notification as UIS sends it: the query string of the setup guide's template, rendered.</summary>
    public static Task<IScenarioResult> NotifyAsync(this IAlbaHost host, TestTenant tenant, string query, int expectedStatus = 200) =>
        host.Scenario(s =>
        {
            s.Get.Url($"{tenant.HookPath}?{query}");
            s.StatusCodeShouldBe(expectedStatus);
        });

    public static string IncomingStart(long session, string client = "79508418541", string line = "74993720692") =>
        $"event=call_start&direction=%22in%22&line_number={line}&client_number=%22{client}%22&call_hash={session}";

    public static string OutgoingStart(long session, string employee, string client = "79508418541", string line = "74993720692") =>
        $"event=call_start&direction=%22out%22&line_number={line}&client_number={client}&extension=%22{employee}%22&call_hash={session}";

    public static string End(long session, string direction = "in", int talk = 12, string employee = "{{employee_phone_number}}",
        string client = "79508418541", string line = "74993720692", string recordLinks = "null") =>
        $"event=call_end&line_number={line}&client_number=%22{client}%22&extension={Uri.EscapeDataString(employee)}" +
        $"&call_hash={session}&direction=%22{direction}%22&talk_time_duration={talk}&record_links={Uri.EscapeDataString(recordLinks)}";

    public static Task PutAsAdminAsync(this IAlbaHost host, TestTenant tenant, string url, object body) =>
        host.Scenario(s =>
        {
            s.Put.Json(body).ToUrl(url);
            s.WithBearerToken(tenant.AdminToken);
            s.StatusCodeShouldBeOk();
        });

    private static long _uisEmployee = 7_000 + Random.Shared.Next(1_000_000);

    /// <summary>A tenant with the simulator's line, the API key it accepts, and employee 7 (+79160000007) known to UIS under a fresh id.</summary>
    public static async Task<(TestTenant Tenant, long UisEmployeeId)> CreateTenantConnectedToUisAsync(this IAlbaHost host, UisSimulator.SimulatorState uis)
    {
        var tenant = await host.CreateTenantAsync();
        var uisEmployeeId = Interlocked.Increment(ref _uisEmployee);
        uis.Employees[uisEmployeeId] = new UisSimulator.SimulatedEmployee(uisEmployeeId, "Менеджер", ["79160000007"]);
        await host.PutAsAdminAsync(tenant, "/api/settings/lines", new { lines = new[] { "+74993720692" } });
        await host.PutAsAdminAsync(tenant, "/api/settings/employees/7", new { fullName = "Менеджер", uisEmployeeId, phones = new[] { "+79160000007" } });
        await host.PutAsAdminAsync(tenant, "/api/settings/uis", new { apiKey = "sim-token" });
        return (tenant, uisEmployeeId);
    }

    public static async Task<T> GetJsonAsync<T>(this IAlbaHost host, string url, string token)
    {
        var result = await host.Scenario(s =>
        {
            s.Get.Url(url);
            s.WithBearerToken(token);
            s.StatusCodeShouldBeOk();
        });
        return (await result.ReadAsJsonAsync<T>())!;
    }

    private static long _session = 5_000_000_000 + Random.Shared.Next(1_000_000);

    /// <summary>A fresh UIS call_session_id, above 2^31 as in real data.</summary>
    public static long NewSession() => Interlocked.Increment(ref _session);
}

public static class Eventually
{
    /// <summary>Reads until the value satisfies the condition (work on durable queues is asynchronous), or fails with the last value read.</summary>
    public static async Task<T> Async<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The condition did not hold in time; last value: {System.Text.Json.JsonSerializer.Serialize(value)}");
            await Task.Delay(25);
        }
    }
}
