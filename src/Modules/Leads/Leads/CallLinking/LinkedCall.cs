namespace Leads.CallLinking;

/// <summary>
/// A call Leads has seen: the card it belongs to (none for a hidden number or an unknown outgoing
/// one) and who got its screen pop, so that its end reaches the same screens. Id = the call id.
/// </summary>
/// <param name="Recipients">Employee ids; null means every employee of the tenant.</param>
public sealed record LinkedCall(Guid Id, Guid? PersonId, IReadOnlyList<int>? Recipients);

/// <summary>
/// The claim of a number by the open lead captured for it (Id = the E.164 number). Inserted with
/// the lead: two first calls from one number racing to capture it cannot both insert it.
/// </summary>
public sealed record OpenLeadPhone(string Id, Guid LeadId);
