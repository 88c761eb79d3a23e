namespace Integration.Contracts;

/// <summary>
/// What routing needs of a tenant's setup, from memory: the routing settings, the employees and
/// who is unavailable. Kept by Integration, current from each commit on (here at once, on other
/// nodes through PostgreSQL NOTIFY).
/// </summary>
public interface IRoutingDirectory
{
    ValueTask<RoutingSetup> ForTenantAsync(string tenant, CancellationToken ct);
}

public sealed record RoutingSetup(RoutingSettings? Settings, IReadOnlyDictionary<int, Employee> Employees, IReadOnlySet<int> Unavailable);
