using System.Collections.Concurrent;
using BuildingBlocks.Postgres;
using Integration.Contracts;
using Marten;
using Marten.Services;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Integration.Routing;

/// <summary>
/// Each tenant's routing setup, read once (one batched query) and kept in memory until a commit
/// changes the settings, an employee or an availability: then it is dropped here after the commit
/// and on the other nodes when they hear the NOTIFY queued in that commit, and read again on next use.
/// </summary>
public sealed class RoutingDirectory(IServiceProvider services, IConfiguration configuration, ILogger<RoutingDirectory> logger)
    : DocumentSessionListenerBase, IRoutingDirectory, IHostedService
{
    public const string Channel = "envycrm_routing_setup";

    private readonly ConcurrentDictionary<string, Task<RoutingSetup>> _tenants = new();
    // Announcements are "<tenant> <node>": the committing node has dropped the setup already.
    private readonly string _node = Guid.NewGuid().ToString("N");
    // Resolved on first use: this listener is part of the store's own options.
    private IDocumentStore Store => services.GetRequiredService<IDocumentStore>();
    private readonly CancellationTokenSource _stopping = new();
    private Task _listening = Task.CompletedTask;

    public ValueTask<RoutingSetup> ForTenantAsync(string tenant, CancellationToken ct) =>
        new(_tenants.GetOrAdd(tenant, ReadAsync).WaitAsync(ct));

    private async Task<RoutingSetup> ReadAsync(string tenant)
    {
        try
        {
            await using var session = Store.QuerySession(tenant);
            var batch = session.CreateBatchQuery();
            var settings = batch.Load<RoutingSettings>(RoutingSettings.DocumentId);
            var employees = batch.Query<Employee>().ToList();
            var unavailable = batch.Query<EmployeeAvailability>().Where(a => !a.Available).ToList();
            await batch.Execute();
            return new RoutingSetup(await settings, (await employees).ToDictionary(e => e.Id), (await unavailable).Select(a => a.Id).ToHashSet());
        }
        catch
        {
            _tenants.TryRemove(tenant, out _);
            throw;
        }
    }

    private static bool ChangesSetup(IDocumentSession session) =>
        session.PendingChanges.AllChangedFor<RoutingSettings>().Any() || session.PendingChanges.AllChangedFor<Employee>().Any()
        || session.PendingChanges.AllChangedFor<EmployeeAvailability>().Any();

    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        if (ChangesSetup(session)) session.QueueOperation(new PgNotify(Channel, $"{session.TenantId} {_node}"));
        return Task.CompletedTask;
    }

    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        // Dropped after every commit of the tenant that could have changed it: cheap, and never stale here.
        if (commit.Updated.Any(IsSetup) || commit.Inserted.Any(IsSetup)) _tenants.TryRemove(session.TenantId, out _);
        return Task.CompletedTask;
    }

    private static bool IsSetup(object document) => document is RoutingSettings or Employee or EmployeeAvailability;

    public Task StartAsync(CancellationToken ct)
    {
        _listening = PostgresNotifications.ListenAsync(configuration.GetConnectionString("Postgres")!, Channel,
            Announced, () => _tenants.Clear(), logger, _stopping.Token);
        return Task.CompletedTask;
    }

    private void Announced(string payload)
    {
        var parts = payload.Split(' ');
        if (parts.Length < 2 || parts[1] != _node) _tenants.TryRemove(parts[0], out _);
    }

    public async Task StopAsync(CancellationToken ct)
    {
        await _stopping.CancelAsync();
        await _listening;
    }
}
