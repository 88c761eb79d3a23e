using BuildingBlocks.Tenancy;
using BuildingBlocks.Uis;
using Calls;
using Integration.Contracts;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Host;

public sealed record NotificationTemplate(string Name, string UisEventType, string Method, string Body);

public sealed record SetupChecklist(bool ApiKeySet, bool ApiKeyChecked, bool LinesSet, bool EmployeesMapped, bool IncomingCallSeen,
    bool OutgoingCallSeen, bool CallEndSeen, bool RoutingRequestSeen);

public sealed record UisSetupView(string NotificationLink, IReadOnlyList<NotificationTemplate> Templates, string RoutingUrl, SetupChecklist Checklist);

/// <summary>
/// What the tenant's admin needs to set UIS up, and how far the setup has come (issue 7). In the host,
/// because the checklist reads every module's facts.
/// </summary>
public static class UisSetupEndpoint
{
    [WolverineGet("/api/settings/uis/setup"), Authorize(Policy = Auth.Admin)]
    public static async Task<UisSetupView> Get(System.Security.Claims.ClaimsPrincipal user, IDocumentStore store, IConfiguration configuration,
        CancellationToken ct)
    {
        var tenantId = user.FindFirst(Auth.TenantClaim)!.Value;
        Integration.Tenants.Tenant tenant;
        await using (var global = store.QuerySession()) tenant = (await global.LoadAsync<Integration.Tenants.Tenant>(tenantId, ct))!;
        await using var session = store.QuerySession(tenantId);
        var batch = session.CreateBatchQuery();
        var key = batch.Load<Integration.Uis.UisConnection>(Integration.Uis.UisConnection.DocumentId);
        var check = batch.Load<Integration.Uis.UisConnectionChecked>(Integration.Uis.UisConnectionChecked.DocumentId);
        var lines = batch.Load<TenantLines>(TenantLines.DocumentId);
        var employees = batch.Query<Employee>().ToList();
        await batch.Execute(ct);
        var events = session.Events;
        var incoming = await events.QueryRawEventDataOnly<CallStarted>().Where(e => e.Facts.Direction == "in").AnyAsync(ct);
        var outgoing = await events.QueryRawEventDataOnly<CallStarted>().Where(e => e.Facts.Direction == "out").AnyAsync(ct);
        var ended = await events.QueryRawEventDataOnly<CallEnded>().AnyAsync(ct);
        var routing = await events.QueryRawEventDataOnly<Routing.CallRoutedToManager>().AnyAsync(ct) ||
                      await events.QueryRawEventDataOnly<Routing.CallRoutingFellBack>().AnyAsync(ct);

        var link = tenant.NotificationLink(configuration["PublicBaseUrl"] ?? "http://127.0.0.1:5000");
        var baseDomain = configuration.GetValue("Routing:BaseDomain", "envycrm.com");
        var staff = await employees;
        return new UisSetupView(
            link,
            [
                new("Входящий звонок", "incoming call to a virtual number", "GET", SetupGuide.IncomingCallTemplate),
                new("Исходящий звонок", "outgoing call", "GET", SetupGuide.OutgoingCallTemplate),
                new("Завершение звонка", "call finished", "GET", SetupGuide.CallEndTemplate),
            ],
            $"https://{tenantId}.{baseDomain}/hook/uis?event=redirect_incoming",
            new SetupChecklist(await key is not null, await check is not null, (await lines)?.Lines.Count > 0,
                staff.Count > 0 && staff.All(e => e.UisEmployeeId is not null), incoming, outgoing, ended, routing));
    }
}
