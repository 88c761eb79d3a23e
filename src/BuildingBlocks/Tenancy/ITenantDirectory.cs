namespace BuildingBlocks.Tenancy;

/// <summary>Finds the tenant (CRM account) a request belongs to. Implemented by the Integration module.</summary>
public interface ITenantDirectory
{
    /// <summary>The tenant whose notification link carries this secret, or null.</summary>
    ValueTask<string?> FindByNotificationSecretAsync(string secret, CancellationToken ct);

    ValueTask<bool> ExistsAsync(string tenantId, CancellationToken ct);

    /// <summary>The tenant's time zone (its days, for counts per day); Moscow when the tenant is unknown.</summary>
    ValueTask<TimeZoneInfo> TimeZoneAsync(string tenantId, CancellationToken ct);
}
