using System.Text.Json;
using BuildingBlocks.Tenancy;
using BuildingBlocks.Uis.Api;
using Integration.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Wolverine.Http;

namespace Integration.Uis;

public sealed record UisVirtualNumber(string Number, string? Status);

public sealed record UisEmployeeNumber(string Number, string? Status);

/// <summary>An employee as UIS knows them: map a CRM employee to <c>UisEmployeeId</c> with PUT /api/settings/employees/{id}.</summary>
public sealed record UisEmployee(long UisEmployeeId, string? FullName, IReadOnlyList<UisEmployeeNumber> PhoneNumbers, string? Extension);

public sealed record UisCheckResult(IReadOnlyList<UisVirtualNumber> VirtualNumbers, IReadOnlyList<UisEmployee> Employees);

/// <summary>The last check UIS answered without an error (the setup checklist's "API key checked").</summary>
public sealed record UisConnectionChecked(DateTimeOffset At)
{
    public const string DocumentId = "uis-check";
    public string Id { get; init; } = DocumentId;
}

/// <summary>
/// Calls UIS's Data API with the stored key and shows what the account holds, or explains why UIS
/// refused. Read-only calls: the client retries them on transient failures (unlike the Call API).
/// </summary>
public static class CheckUisConnectionEndpoint
{
    public const string ClientName = "uis-data-api";
    public const string DefaultUrl = "https://dataapi.uiscom.ru/v2.0";

    public static void Register(IServiceCollection services) =>
        services.AddHttpClient(ClientName).AddStandardResilienceHandler();

    [WolverinePost("/api/settings/uis/check"), Authorize(Policy = Auth.Admin)]
    public static async Task<IResult> Post(System.Security.Claims.ClaimsPrincipal user, IUisApiKeys keys, IHttpClientFactory clients,
        IConfiguration configuration, Marten.IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        var tenant = user.FindFirst(Auth.TenantClaim)!.Value;
        if (await keys.ApiKeyAsync(tenant, ct) is not { } apiKey)
            return TypedResults.Problem(statusCode: 422, title: "No UIS API key", detail: "Set the key first: PUT /api/settings/uis.",
                extensions: new Dictionary<string, object?> { ["reason"] = "uis-not-connected" });
        var http = clients.CreateClient(ClientName);
        var endpoint = new Uri(configuration.GetValue("Uis:DataApiUrl", DefaultUrl)!);
        var key = new Dictionary<string, object?> { ["access_token"] = apiKey };
        UisReply numbers, employees;
        try
        {
            numbers = await UisJsonRpc.CallAsync(http, endpoint, "get.virtual_numbers", key, ct);
            employees = numbers.Succeeded ? await UisJsonRpc.CallAsync(http, endpoint, "get.employees", key, ct) : numbers;
        }
        catch (Exception e) when (e is HttpRequestException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException)
        {
            return TypedResults.Problem(statusCode: 502, title: "UIS could not be reached", detail: "No answer from UIS's Data API; try again later.",
                extensions: new Dictionary<string, object?> { ["mnemonic"] = "uis-unreachable" });
        }
        if ((numbers.Error ?? employees.Error) is { } error) return Explain(error);
        await using (var session = store.LightweightSession(tenant))
        {
            session.Store(new UisConnectionChecked(clock.GetUtcNow()));
            await session.SaveChangesAsync(ct);
        }
        return TypedResults.Ok(new UisCheckResult(
            Rows(numbers.Result).Select(n => new UisVirtualNumber(Text(n, "virtual_phone_number") ?? "", Text(n, "status"))).ToList(),
            Rows(employees.Result).Select(e => new UisEmployee(
                e.TryGetProperty("id", out var id) && id.TryGetInt64(out var uisId) ? uisId : 0,
                Text(e, "full_name"),
                e.TryGetProperty("phone_numbers", out var phones) && phones.ValueKind == JsonValueKind.Array
                    ? phones.EnumerateArray().Select(p => new UisEmployeeNumber(Text(p, "phone_number") ?? "", Text(p, "status"))).ToList()
                    : [],
                e.TryGetProperty("extension", out var extension) && extension.ValueKind == JsonValueKind.Object ? Text(extension, "extension_phone_number") : null)).ToList()));
    }

    private static IResult Explain(UisError error)
    {
        var detail = error.Mnemonic switch
        {
            "ip_not_whitelisted" => "Add the CRM's outgoing address to the UIS API whitelist (UIS: Settings → API).",
            var m when m.StartsWith("access_token_", StringComparison.Ordinal) => "The API key is wrong, expired or blocked; set a new one with PUT /api/settings/uis.",
            "limit_exceeded" => $"UIS's per-minute limit is used up; try again in {error.MinuteReset ?? 60} s.",
            _ => $"UIS answered {error.Mnemonic}: {error.Message}",
        };
        return TypedResults.Problem(statusCode: error.Mnemonic == "limit_exceeded" ? 429 : 502, title: "UIS refused the check", detail: detail,
            extensions: new Dictionary<string, object?> { ["mnemonic"] = error.Mnemonic });
    }

    private static IEnumerable<JsonElement> Rows(JsonElement result) =>
        result.ValueKind == JsonValueKind.Object && result.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array ? data.EnumerateArray() : [];

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;
}
