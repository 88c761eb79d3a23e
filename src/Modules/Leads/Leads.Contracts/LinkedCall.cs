namespace Leads.Contracts;

/// <summary>
/// A call Leads has seen (Id = the call id): the card of its number, if any (none for a hidden
/// number or an unknown outgoing one), and who got its screen pop, so that its end reaches the
/// same screens. Kept by Leads in the transaction that links the call; Calls reads it to show
/// the card in the history.
/// </summary>
/// <param name="Recipients">Employee ids; null means every employee of the tenant.</param>
/// <param name="EndedStatus">Set once Leads has recorded the call's end: a redelivered end changes nothing.</param>
public sealed record LinkedCall(Guid Id, Guid? ClientId, IReadOnlyList<int>? Recipients, string? EndedStatus = null);
