using BuildingBlocks.Tenancy;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace Calls.CallStatistics;

/// <param name="Date">The tenant's local day, <c>yyyy-MM-dd</c>.</param>
public sealed record CallsOfDay(string Date, int Answered, int Missed, int Unanswered);

public sealed record CallsPerDayReport(string TimeZone, IReadOnlyList<CallsOfDay> Days);

public static class GetCallsPerDayEndpoint
{
    public const int MaxDays = 366;

    /// <summary>
    /// Ended calls per day of the tenant's time zone, oldest first, every day present (zeros too),
    /// today included. Counted asynchronously: a call that ended a moment ago may appear a moment later.
    /// </summary>
    [WolverineGet("/api/calls/per-day"), Authorize(Policy = Auth.Employee), Microsoft.AspNetCore.Mvc.ProducesResponseType<CallsPerDayReport>(200)]
    public static async Task<IResult> Get(IQuerySession session, ITenantDirectory tenants, TimeProvider clock, int? days, CancellationToken ct)
    {
        var count = days ?? 30;
        if (count is < 1 or > MaxDays)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["days"] = [$"days is between 1 and {MaxDays}."] });

        var zone = await tenants.TimeZoneAsync(session.TenantId, ct);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime);
        var first = today.AddDays(1 - count);
        var from = StartOf(first, zone).ToUniversalTime();
        var hours = await session.Query<CallsPerHour>().Where(h => h.Hour >= from).ToListAsync(ct);
        return TypedResults.Ok(new CallsPerDayReport(zone.Id, Days(hours, zone, first, count)));
    }

    /// <summary>The UTC hours cut into the zone's days, <paramref name="count"/> of them from <paramref name="first"/>, zeros where nothing ended.</summary>
    public static IReadOnlyList<CallsOfDay> Days(IEnumerable<CallsPerHour> hours, TimeZoneInfo zone, DateOnly first, int count)
    {
        var byDay = hours
            .GroupBy(h => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(h.Hour, zone).DateTime))
            .ToDictionary(g => g.Key, g => (Answered: g.Sum(h => h.Answered), Missed: g.Sum(h => h.Missed), Unanswered: g.Sum(h => h.Unanswered)));
        return Enumerable.Range(0, count).Select(i => first.AddDays(i)).Select(day =>
        {
            var c = byDay.GetValueOrDefault(day);
            return new CallsOfDay(day.ToString("yyyy-MM-dd"), c.Answered, c.Missed, c.Unanswered);
        }).ToList();
    }

    private static DateTimeOffset StartOf(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
