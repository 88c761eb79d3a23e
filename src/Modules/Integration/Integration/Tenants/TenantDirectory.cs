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
    private readonly ConcurrentDictionary<string, Tenant> _known = new();

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

    public async ValueTask<bool> ExistsAsync(string tenantId, CancellationToken ct) => await FindAsync(tenantId, ct) is not null;

    public async ValueTask<TimeZoneInfo> TimeZoneAsync(string tenantId, CancellationToken ct) =>
        TimeZoneInfo.TryFindSystemTimeZoneById((await FindAsync(tenantId, ct))?.TimeZone ?? CreateTenantEndpoint.DefaultTimeZone, out var zone)
            ? zone
            : TimeZoneInfo.FindSystemTimeZoneById(CreateTenantEndpoint.DefaultTimeZone);

    private async ValueTask<Tenant?> FindAsync(string tenantId, CancellationToken ct)
    {
        if (_known.TryGetValue(tenantId, out var known)) return known;
        await using var session = store.QuerySession();
        var tenant = await session.LoadAsync<Tenant>(tenantId, ct);
        if (tenant is not null) _known[tenantId] = tenant;
        return tenant;
    }
}
