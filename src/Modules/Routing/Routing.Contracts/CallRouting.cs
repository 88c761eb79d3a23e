namespace Routing.Contracts;

/// <summary>
/// The latest routing decision for a UIS call session (Id = the session id), kept by Routing in
/// the transaction that records the decision; the call history shows it.
/// </summary>
/// <param name="Outcome"><c>routed</c> or <c>fell-back</c>.</param>
public sealed record CallRouting(long Id, string Outcome, int? EmployeeId, string? Reason);
