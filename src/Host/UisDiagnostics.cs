using System.Collections.Concurrent;
using BuildingBlocks.Phones;
using BuildingBlocks.Tenancy;
using BuildingBlocks.Uis;
using Integration.Contracts;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Host;

/// <summary>
/// The last 100 notifications and routing requests of each tenant that reached this node, as
/// received and answered, for the setup diagnostics. In memory: a node restarted or another node
/// shows its own (nothing of it is needed to run the service).
/// </summary>
public sealed class UisTraffic
{
    public const int Kept = 100;

    public sealed record Entry(DateTimeOffset At, string Kind, IReadOnlyDictionary<string, string?> Fields, int Status, string? Reason);

    private readonly ConcurrentDictionary<string, ConcurrentQueue<Entry>> _byTenant = new();

    public void Record(string tenant, Entry entry)
    {
        var entries = _byTenant.GetOrAdd(tenant, _ => new ConcurrentQueue<Entry>());
        entries.Enqueue(entry);
        while (entries.Count > Kept && entries.TryDequeue(out _)) { }
    }

    public IReadOnlyList<Entry> Of(string tenant) => _byTenant.TryGetValue(tenant, out var entries) ? entries.Reverse().ToList() : [];

    /// <summary>Remembers the request once answered (status, and the routing reason when there is one).</summary>
    public void RecordWhenAnswered(HttpContext context, string tenant, string kind, UisRequestFields.Received received, TimeProvider clock)
    {
        var at = clock.GetUtcNow();
        context.Response.OnCompleted(() =>
        {
            Record(tenant, new Entry(at, kind, received.Fields, context.Response.StatusCode, context.Items[UisAnswer.ReasonKey] as string));
            return Task.CompletedTask;
        });
    }
}

public sealed record DiagnosedRequest(DateTimeOffset At, string Kind, int Status, IReadOnlyDictionary<string, string?> Received,
    IReadOnlyDictionary<string, string?> Understood, IReadOnlyList<string> Warnings);

/// <summary>What UIS sent lately, what was understood of it, and what looks wrong in the setup (issue 7).</summary>
public static class UisDiagnosticsEndpoint
{
    private static readonly string[] NotificationParameters = ["call_hash", "direction", "line_number", "client_number"];

    [WolverineGet("/api/settings/uis/diagnostics"), Authorize(Policy = Auth.Admin)]
    public static async Task<IReadOnlyList<DiagnosedRequest>> Get(System.Security.Claims.ClaimsPrincipal user, UisTraffic traffic, IDocumentStore store,
        CancellationToken ct)
    {
        var tenant = user.FindFirst(Auth.TenantClaim)!.Value;
        var entries = traffic.Of(tenant);
        await using var session = store.QuerySession(tenant);
        var lines = (await session.LoadAsync<TenantLines>(TenantLines.DocumentId, ct))?.Lines ?? [];
        var employeeNumbers = entries.Select(e => EmployeeNumber.Normalize(UisValue.Text(e.Fields.GetValueOrDefault("extension")))).OfType<string>().Distinct().ToArray();
        var known = employeeNumbers.Length == 0 ? [] : (await session.LoadManyAsync<EmployeePhone>(ct, employeeNumbers)).Select(p => p.Id).ToHashSet();
        return entries.Select(e => Diagnose(e, lines, known)).ToList();
    }

    public static DiagnosedRequest Diagnose(UisTraffic.Entry entry, IReadOnlyList<string> lines, IReadOnlySet<string> knownEmployeeNumbers)
    {
        string? Value(string name) => UisValue.Text(entry.Fields.GetValueOrDefault(name));
        var warnings = new List<string>();
        foreach (var (name, raw) in entry.Fields)
            if (raw?.Trim().Trim('"') is { } value && value.StartsWith("{{", StringComparison.Ordinal) && value.EndsWith("}}", StringComparison.Ordinal))
                warnings.Add($"\"{name}\" came as the literal {value}: the template uses a variable this event does not have.");
        var routing = entry.Kind == "routing";
        foreach (var name in routing ? ["numa"] : NotificationParameters)
            if (!entry.Fields.ContainsKey(name)) warnings.Add($"\"{name}\" is missing: compare the template with the setup guide's.");
        var extension = Value("extension");
        if (EmployeeNumber.IsExtension(extension))
            warnings.Add($"\"{extension}\" is a short extension number; UIS extensions do not work here: give employees their full numbers or SIP lines.");
        else if (EmployeeNumber.Normalize(extension) is { } employee && !knownEmployeeNumbers.Contains(employee))
            warnings.Add($"The employee number {employee} is not in the employee directory (PUT /api/settings/employees/{{id}}).");
        var line = Phone.ToE164(Value("line_number") ?? Value("numb"));
        if (line is not null && !lines.Contains(line)) warnings.Add($"The line {line} is not one of the account's lines (PUT /api/settings/lines).");
        if (routing && entry.Status != 200)
            warnings.Add($"The routing request was answered {entry.Status} ({entry.Reason ?? "no reason"}): UIS rang its group.");
        var understood = new Dictionary<string, string?>
        {
            ["event"] = Value("event"),
            ["callSessionId"] = UisRequestFields.CallSessionId(entry.Fields)?.ToString(),
            ["direction"] = Value("direction"),
            ["line"] = line,
            ["client"] = Phone.ToE164(Value(routing ? "numa" : "client_number")),
            ["employee"] = EmployeeNumber.Normalize(extension),
        };
        return new DiagnosedRequest(entry.At, entry.Kind, entry.Status, entry.Fields, understood, warnings);
    }
}
