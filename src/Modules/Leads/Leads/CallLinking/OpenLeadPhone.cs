namespace Leads.CallLinking;

/// <summary>
/// The claim of a number by the open lead captured for it (Id = the E.164 number). Inserted with
/// the lead: two first calls from one number racing to capture it cannot both insert it.
/// </summary>
public sealed record OpenLeadPhone(string Id, Guid LeadId);
