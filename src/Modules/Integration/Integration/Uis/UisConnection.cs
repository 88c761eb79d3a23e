using BuildingBlocks.Tenancy;
using Integration.Contracts;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace Integration.Uis;

/// <summary>The tenant's UIS API key, encrypted with Data Protection; only its last four characters are kept readable.</summary>
public sealed record UisConnection(string ProtectedApiKey, string ApiKeyLast4, DateTimeOffset UpdatedAt)
{
    public const string DocumentId = "uis";
    public string Id { get; init; } = DocumentId;
    public const string Purpose = "EnvyCrm.Uis.ApiKey.v1";
}

public sealed record PutUisSettings(string? ApiKey);

/// <summary>What the settings show of the key: whether one is set and how it ends. Never the key.</summary>
public sealed record UisSettingsView(bool ApiKeySet, string? ApiKeyLast4);

public static class UisSettingsEndpoint
{
    public const int MaxKeyLength = 512;

    [WolverinePut("/api/settings/uis"), Authorize(Policy = Auth.Admin)]
    public static async Task<IResult> Put(PutUisSettings request, IDocumentSession session, IDataProtectionProvider protection, TimeProvider clock)
    {
        var key = request.ApiKey?.Trim();
        if (string.IsNullOrEmpty(key) || key.Length > MaxKeyLength || key.Any(char.IsWhiteSpace))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["apiKey"] = [$"The UIS API key is required: paste the key UIS showed once (no spaces, at most {MaxKeyLength} characters)."],
            });
        var connection = new UisConnection(protection.CreateProtector(UisConnection.Purpose).Protect(key), key[^Math.Min(4, key.Length)..], clock.GetUtcNow());
        session.Store(connection);
        await session.SaveChangesAsync();
        return TypedResults.Ok(View(connection));
    }

    [WolverineGet("/api/settings/uis"), Authorize(Policy = Auth.Admin)]
    public static async Task<UisSettingsView> Get(IQuerySession session) =>
        View(await session.LoadAsync<UisConnection>(UisConnection.DocumentId));

    private static UisSettingsView View(UisConnection? connection) => new(connection is not null, connection?.ApiKeyLast4);
}

/// <summary>Gives other modules the tenant's API key when they call UIS; it is decrypted only for that call.</summary>
public sealed class UisApiKeys(IDocumentStore store, IDataProtectionProvider protection) : IUisApiKeys
{
    public async ValueTask<string?> ApiKeyAsync(string tenant, CancellationToken ct)
    {
        await using var session = store.QuerySession(tenant);
        var connection = await session.LoadAsync<UisConnection>(UisConnection.DocumentId, ct);
        return connection is null ? null : protection.CreateProtector(UisConnection.Purpose).Unprotect(connection.ProtectedApiKey);
    }
}
