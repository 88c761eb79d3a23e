using Integration.Contracts;
using Marten;

namespace Calls.Uis;

/// <summary>The employee of a call, matched in the directory by the number UIS reported, as it stood when the call happened.</summary>
public static class EmployeeMatch
{
    public static async Task<UisCallFacts> CompleteAsync(UisCallFacts facts, IQuerySession session, CancellationToken ct)
    {
        if (facts.Employee.Normalized is not { } number) return facts;
        var match = await session.LoadAsync<EmployeePhone>(number, ct);
        return facts with { EmployeeId = match?.EmployeeId };
    }

    public static UisCallFacts Complete(UisCallFacts facts, IReadOnlyDictionary<string, int> employees) =>
        facts.Employee.Normalized is { } number
            ? facts with { EmployeeId = employees.TryGetValue(number, out var id) ? id : null }
            : facts;
}
