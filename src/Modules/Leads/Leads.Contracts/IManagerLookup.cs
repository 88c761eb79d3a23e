namespace Leads.Contracts;

/// <summary>
/// Who the caller is and who their personal manager is, by phone (E.164). Kept by Leads,
/// consistent with the cards at once; Routing asks it while UIS waits.
/// </summary>
public interface IManagerLookup
{
    /// <summary>The card of the number (a client before a lead, then the oldest, when several share it), or null for an unknown number.</summary>
    ValueTask<CardManager?> FindAsync(string tenant, string phone, CancellationToken ct);
}

/// <param name="EmployeeId">The personal manager; null when the card has none.</param>
public sealed record CardManager(Guid ClientId, int? EmployeeId);
