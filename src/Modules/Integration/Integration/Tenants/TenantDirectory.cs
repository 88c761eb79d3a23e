using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using BuildingBlocks.Tenancy;
using Marten;

namespace Integration.Tenants;

/// <summary>
/// Tenants are never deleted and their secrets never change, so what was found once is kept in
/// memory; a miss always asks PostgreSQL, so a tenant created on another node is found too.
/// </summary>
public sealed class TenantDirectory(IDocumentStore store) : ITenantDirectory
{
    private readonly ConcurrentDictionary<string, Tenant> _bySecretHash = new();
    private readonly ConcurrentDictionary<string, bool> _known = new();

    public async ValueTask<string?> FindByNotificationSecretAsync(string secret, CancellationToken ct)
    {
        var hash = Tenant.HashOf(secret);
        if (!_bySecretHash.TryGetValue(hash, out var tenant))
        {
            await using var session = store.QuerySession();
            tenant = await session.Query<Tenant>().FirstOrDefaultAsync(t => t.NotificationSecretHash == hash, ct);
            if (tenant is null) return null;
            _bySecretHash[hash] = tenant;
        }
        var matches = CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(tenant.NotificationSecret));
        return matches ? tenant.Id : null;
    }

    public async ValueTask<bool> ExistsAsync(string tenantId, CancellationToken ct)
    {
        if (_known.ContainsKey(tenantId)) return true;
        await using var session = store.QuerySession();
        if (await session.LoadAsync<Tenant>(tenantId, ct) is null) return false;
        _known[tenantId] = true;
        return true;
    }
}
