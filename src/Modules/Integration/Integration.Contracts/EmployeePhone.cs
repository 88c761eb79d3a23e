namespace Integration.Contracts;

/// <summary>
/// Which employee takes calls on a number (E.164 or <c>sip:login@domain</c>). One document per
/// number and tenant, kept by the Integration module; other modules only read it.
/// </summary>
public sealed record EmployeePhone(string Id, int EmployeeId);
