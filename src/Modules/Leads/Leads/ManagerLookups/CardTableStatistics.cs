using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Leads.ManagerLookups;

/// <summary>
/// Keeps PostgreSQL's statistics of the card table current while an account's cards grow fast (a
/// first day of calls, an import). With statistics taken when the account had few cards, the
/// planner reads every card of the account through the primary key on each lookup by phone instead
/// of using the phone index: the screen pop's p99 went past a second (docs/benchmarks.md).
/// Autovacuum analyses only after a tenth of the whole table has changed, at most once a minute;
/// this analyses the card table as soon as one account's cards grew by a fifth since the last look
/// (and by at least <c>Leads:AnalyzeAfterNewCards</c>), checked every <c>Leads:StatisticsCheckSeconds</c>.
/// </summary>
public sealed class CardTableStatistics(CardIndex index, NpgsqlDataSource database, IConfiguration configuration, ILogger<CardTableStatistics> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var minimumGrowth = configuration.GetValue("Leads:AnalyzeAfterNewCards", 500);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(configuration.GetValue("Leads:StatisticsCheckSeconds", 10.0)));
        Dictionary<string, int>? analysed = null;
        while (await timer.WaitForNextTickAsync(stopping))
        {
            if (!index.Ready) continue;
            var counts = index.CountsByTenant();
            analysed ??= counts;
            if (!counts.Any(c => Grew(analysed.GetValueOrDefault(c.Key), c.Value, minimumGrowth))) continue;
            try
            {
                await AnalyseAsync(stopping);
                analysed = counts;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(e, "Analysing the card table failed; trying again at the next check");
            }
        }
    }

    public static bool Grew(int before, int now, int minimumGrowth) => now - before >= Math.Max(minimumGrowth, before / 5);

    private async Task AnalyseAsync(CancellationToken ct)
    {
        await using var analyse = database.CreateCommand($"analyze {CardIndex.CardTable}");
        analyse.CommandTimeout = 300;
        await analyse.ExecuteNonQueryAsync(ct);
        logger.LogInformation("Analysed the card table: an account's cards grew fast");
    }
}
