namespace Integration.Contracts;

/// <summary>A CRM employee as UIS knows them: the UIS employee id and the numbers they take calls on. Kept by Integration; other modules only read it.</summary>
public sealed record Employee(int Id, string FullName, long? UisEmployeeId, IReadOnlyList<string> Phones);
