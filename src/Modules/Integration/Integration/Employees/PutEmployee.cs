using BuildingBlocks.Phones;
using BuildingBlocks.Tenancy;
using Integration.Contracts;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace Integration.Employees;

public sealed record PutEmployee(string? FullName, long? UisEmployeeId, string[]? Phones);

public static class PutEmployeeEndpoint
{
    [WolverinePut("/api/settings/employees/{employeeId}"), Authorize(Policy = Auth.Admin), Microsoft.AspNetCore.Mvc.ProducesResponseType<Employee>(200)]
    public static async Task<IResult> Put(int employeeId, PutEmployee request, IDocumentSession session)
    {
        var errors = new Dictionary<string, string[]>();
        if (employeeId <= 0) errors["employeeId"] = ["The employee id is a positive number."];
        if (string.IsNullOrWhiteSpace(request.FullName)) errors["fullName"] = ["The employee's full name is required."];
        if (request.UisEmployeeId is <= 0) errors["uisEmployeeId"] = ["The UIS employee id is a positive number (Data API get.employees)."];
        var (phones, phoneErrors) = NormalizePhones(request.Phones ?? []);
        if (phoneErrors.Length > 0) errors["phones"] = phoneErrors;
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var taken = (await session.LoadManyAsync<EmployeePhone>(phones))
            .Where(p => p.EmployeeId != employeeId).ToList();
        if (taken.Count > 0)
            return TypedResults.Problem(statusCode: 409, title: "Number already used",
                detail: string.Join("; ", taken.Select(p => $"{p.Id} belongs to employee {p.EmployeeId}")));

        var previous = await session.LoadAsync<Employee>(employeeId);
        foreach (var removed in previous?.Phones.Except(phones) ?? []) session.Delete<EmployeePhone>(removed);
        foreach (var phone in phones) session.Store(new EmployeePhone(phone, employeeId));
        var employee = new Employee(employeeId, request.FullName!.Trim(), request.UisEmployeeId, phones);
        session.Store(employee);
        await session.SaveChangesAsync();
        return TypedResults.Ok(employee);
    }

    private static (string[] Phones, string[] Errors) NormalizePhones(IEnumerable<string> raw)
    {
        var phones = new List<string>();
        var errors = new List<string>();
        foreach (var text in raw)
        {
            if (EmployeeNumber.IsExtension(text))
                errors.Add($"\"{text}\" is a short extension number. UIS extension numbers do not work here: " +
                           "give the employee's full phone number (e.g. +79161234567) or SIP line (sip:login@domain).");
            else if (EmployeeNumber.Normalize(text) is { } normalized)
            {
                if (!phones.Contains(normalized)) phones.Add(normalized);
            }
            else errors.Add($"\"{text}\" is neither a phone number nor a SIP line (sip:login@domain).");
        }
        return (phones.ToArray(), errors.ToArray());
    }
}
