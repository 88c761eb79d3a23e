namespace Integration.Contracts;

/// <summary>
/// The employees who take calls on one line (Id = the line's E.164 number): the screen pop of a
/// caller without a personal manager goes to them. No document: every employee of the tenant.
/// </summary>
public sealed record LineEmployees(string Id, IReadOnlyList<int> EmployeeIds);
