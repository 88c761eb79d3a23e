using System.Text.Json;
using BuildingBlocks.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Leads.ManagerLookups;

/// <summary>
/// Fills the card index at start-up and applies the card changes other nodes announce. It listens
/// before it reads, so nothing committed meanwhile is missed (a later read of a card wins).
/// </summary>
public sealed class CardIndexHost(CardIndex index, NpgsqlDataSource database, IConfiguration configuration, ILogger<CardIndexHost> logger) : BackgroundService
{
    /// <summary>This node, named in the changes it announces, so that it does not read them a second time when it hears them.</summary>
    public Guid Node { get; } = Guid.NewGuid();

    public Task RefreshAsync(CardChanges.Changed changed, CancellationToken ct) =>
        index.RefreshAsync(database, changed.Tenant, changed.Ids, ct);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var listener = PostgresNotifications.ListenAsync(configuration.GetConnectionString("Postgres")!, CardChanges.Channel,
            Announced, () => listening.TrySetResult(), logger, stopping);
        await listening.Task.WaitAsync(stopping);
        while (!index.Ready && !stopping.IsCancellationRequested)
        {
            try
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
                await index.FillAsync(database, stopping);
                index.MarkReady();
                // Once per start: what the index costs in memory is worth a full collection to know.
                var heapGrowth = (GC.GetTotalMemory(forceFullCollection: true) - heapBefore) / (1024 * 1024);
                logger.LogInformation("Card index filled: {Count} cards in {Seconds:F1} s; managed heap grew by {HeapGrowthMb} MB",
                    index.Count, clock.Elapsed.TotalSeconds, heapGrowth);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                logger.LogWarning(e, "Filling the card index failed; trying again");
                await Task.Delay(TimeSpan.FromSeconds(2), stopping);
            }
        }
        await listener;
    }

    private void Announced(string payload)
    {
        if (JsonSerializer.Deserialize<CardChanges.Changed>(payload) is not { } changed || changed.Node == Node) return;
        _ = RefreshAsync(changed, CancellationToken.None).ContinueWith(
            t => logger.LogWarning(t.Exception, "Refreshing {Count} cards of {Tenant} failed", changed.Ids.Length, changed.Tenant),
            TaskContinuationOptions.OnlyOnFaulted);
    }
}
