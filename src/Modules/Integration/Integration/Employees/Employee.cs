namespace Integration.Employees;

/// <summary>A CRM employee as UIS knows them: the UIS employee id and the numbers they take calls on.</summary>
public sealed record Employee(int Id, string FullName, long? UisEmployeeId, IReadOnlyList<string> Phones);
