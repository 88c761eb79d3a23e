using System.Text.Json;
using Alba;
using IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IntegrationTests.Integration;

/// <summary>The tenant's UIS API key (issue 5): stored encrypted, shown only by its last four characters, never logged.</summary>
[Collection(AppCollection.Name)]
public sealed class UisSettingsTests(AppFixture app)
{
    private Task<IScenarioResult> PutKeyAsync(Scenarios.TestTenant tenant, object body, int status, string? token = null) =>
        app.Host.Scenario(s =>
        {
            s.Put.Json(body).ToUrl("/api/settings/uis");
            s.WithBearerToken(token ?? tenant.AdminToken);
            s.StatusCodeShouldBe(status);
        });

    [Fact]
    public async Task The_key_is_stored_encrypted_and_shown_only_by_its_last_four_characters()
    {
        var tenant = await app.Host.CreateTenantAsync();
        var key = "uis-key-" + Guid.NewGuid().ToString("N");
        (await app.Host.GetJsonAsync<JsonElement>("/api/settings/uis", tenant.AdminToken)).GetProperty("apiKeySet").GetBoolean().Should().BeFalse();

        var put = await PutKeyAsync(tenant, new { apiKey = $"  {key} " }, 200);
        (await put.ReadAsTextAsync()).Should().NotContain(key);
        var shown = await app.Host.GetJsonAsync<JsonElement>("/api/settings/uis", tenant.AdminToken);
        shown.GetProperty("apiKeySet").GetBoolean().Should().BeTrue();
        shown.GetProperty("apiKeyLast4").GetString().Should().Be(key[^4..]);
        shown.GetRawText().Should().NotContain(key);

        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var raw = new NpgsqlCommand("select data::text from envycrm.mt_doc_uisconnection where tenant_id = $1", connection)
        {
            Parameters = { new() { Value = tenant.Id } },
        };
        var stored = (string)(await raw.ExecuteScalarAsync())!;
        stored.Should().NotContain(key).And.Contain("ProtectedApiKey");

        // Another node: its own Data Protection, the same key ring in PostgreSQL.
        var otherNode = new ServiceCollection();
        otherNode.AddDataProtection().SetApplicationName("EnvyCrm.Uis");
        otherNode.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>()
            .Configure(o => o.XmlRepository = new global::Integration.Uis.DataProtectionKeyStore(app.Store));
        await using var otherProvider = otherNode.BuildServiceProvider();
        var protectedKey = JsonDocument.Parse(stored).RootElement.GetProperty("ProtectedApiKey").GetString()!;
        otherProvider.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>()
            .CreateProtector(global::Integration.Uis.UisConnection.Purpose).Unprotect(protectedKey).Should().Be(key);

        var keys = app.Host.Services.GetRequiredService<global::Integration.Contracts.IUisApiKeys>();
        (await keys.ApiKeyAsync(tenant.Id, CancellationToken.None)).Should().Be(key, "the module that calls UIS can decrypt it");
        (await keys.ApiKeyAsync((await app.Host.CreateTenantAsync()).Id, CancellationToken.None)).Should().BeNull("another account has no key");

        app.Logs.Lines.Should().NotContain(line => line.Contains(key), "the key is never logged");
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"apiKey":"   "}""")]
    [InlineData("""{"apiKey":"two words"}""")]
    public async Task A_missing_or_malformed_key_is_refused_and_the_stored_one_kept(string body)
    {
        var tenant = await app.Host.CreateTenantAsync();
        await PutKeyAsync(tenant, new { apiKey = "first-key-1234" }, 200);
        var refused = await app.Host.Scenario(s =>
        {
            s.Put.Text(body).ToUrl("/api/settings/uis");
            s.WithRequestHeader("Content-Type", "application/json");
            s.WithBearerToken(tenant.AdminToken);
            s.StatusCodeShouldBe(400);
        });
        (await refused.ReadAsJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("apiKey", out _).Should().BeTrue();
        (await app.Host.GetJsonAsync<JsonElement>("/api/settings/uis", tenant.AdminToken)).GetProperty("apiKeyLast4").GetString().Should().Be("1234");
    }

    [Fact]
    public async Task Only_an_admin_sets_or_reads_the_key()
    {
        var tenant = await app.Host.CreateTenantAsync();
        await PutKeyAsync(tenant, new { apiKey = "employee-key" }, 403, tenant.EmployeeToken(5));
        await app.Host.Scenario(s =>
        {
            s.Get.Url("/api/settings/uis");
            s.WithBearerToken(tenant.EmployeeToken(5));
            s.StatusCodeShouldBe(403);
        });
    }

    private async Task<(int Status, JsonElement Body)> CheckAsync(Scenarios.TestTenant tenant)
    {
        using var client = app.Host.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", tenant.AdminToken);
        var response = await client.PostAsync("/api/settings/uis/check", null);
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task The_check_lists_the_accounts_virtual_numbers_and_employees_to_map()
    {
        var tenant = await app.Host.CreateTenantAsync();
        (await CheckAsync(tenant)).Body.GetProperty("reason").GetString().Should().Be("uis-not-connected");
        app.Uis.State.Employees[9_999] = new global::UisSimulator.SimulatedEmployee(9_999, "Иванова Мария", ["79161112233"], "105");
        await PutKeyAsync(tenant, new { apiKey = "sim-token" }, 200);

        var (status, body) = await CheckAsync(tenant);
        status.Should().Be(200, body.ToString());
        body.GetProperty("virtualNumbers").EnumerateArray().Select(n => n.GetProperty("number").GetString()).Should().Contain("74993720692");
        var maria = body.GetProperty("employees").EnumerateArray().Single(e => e.GetProperty("uisEmployeeId").GetInt64() == 9_999);
        maria.GetProperty("fullName").GetString().Should().Be("Иванова Мария");
        maria.GetProperty("phoneNumbers")[0].GetProperty("number").GetString().Should().Be("79161112233");
        maria.GetProperty("extension").GetString().Should().Be("105");
    }

    [Theory]
    [InlineData(null, "access_token_invalid", "API key")]
    [InlineData("ip_not_whitelisted", "ip_not_whitelisted", "whitelist")]
    public async Task The_check_explains_why_UIS_refused(string? planned, string mnemonic, string explained)
    {
        var tenant = await app.Host.CreateTenantAsync();
        await PutKeyAsync(tenant, new { apiKey = planned is null ? "not-a-uis-key" : "sim-token" }, 200);
        if (planned is not null) app.Uis.State.NextErrors.Enqueue(planned);

        var (status, body) = await CheckAsync(tenant);
        status.Should().Be(502);
        body.GetProperty("mnemonic").GetString().Should().Be(mnemonic);
        body.GetProperty("detail").GetString().Should().Contain(explained);
        app.Logs.Lines.Should().NotContain(line => line.Contains("not-a-uis-key"));
    }
}
