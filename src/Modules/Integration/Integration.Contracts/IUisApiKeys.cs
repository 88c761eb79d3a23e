namespace Integration.Contracts;

/// <summary>The tenant's UIS API key, for a module about to call UIS; null when none is set. Never log it.</summary>
public interface IUisApiKeys
{
    ValueTask<string?> ApiKeyAsync(string tenant, CancellationToken ct);
}
