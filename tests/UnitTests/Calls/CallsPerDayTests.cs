using Calls;
using Calls.CallStatistics;

namespace UnitTests.Calls;

public sealed class CallsPerDayTests
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    private static CallEnded Ended(string at, int talk, string direction = "in") =>
        new(Guid.NewGuid(), new UisCallFacts(1, direction, new(null, null), new(null, null), new(null, null), null), talk, DateTimeOffset.Parse(at));

    private static CallsPerHour Count(params CallEnded[] calls)
    {
        var hour = CallsPerHourProjection.Create(calls[0]);
        foreach (var call in calls.Skip(1)) CallsPerHourProjection.Apply(call, hour);
        return hour;
    }

    [Fact]
    public void An_hour_counts_answered_missed_incoming_and_unanswered_outgoing_calls()
    {
        var hour = Count(Ended("2026-11-28T10:05:00Z", 30), Ended("2026-11-28T10:20:00Z", 0), Ended("2026-11-28T10:59:59Z", 0, "out"));

        hour.Id.Should().Be("2026-11-28T10");
        hour.Hour.Should().Be(DateTimeOffset.Parse("2026-11-28T10:00:00Z"));
        (hour.Answered, hour.Missed, hour.Unanswered).Should().Be((1, 1, 1));
    }

    [Fact]
    public void Hours_are_cut_into_the_tenants_days_and_every_day_is_present()
    {
        // 21:30 UTC on the 27th is 00:30 on the 28th in Moscow.
        var hours = new[] { Count(Ended("2026-11-27T20:30:00Z", 10)), Count(Ended("2026-11-27T21:30:00Z", 10), Ended("2026-11-27T21:40:00Z", 0)) };

        var days = GetCallsPerDayEndpoint.Days(hours, Moscow, new DateOnly(2026, 11, 26), 3);

        days.Should().Equal(
            new CallsOfDay("2026-11-26", 0, 0, 0),
            new CallsOfDay("2026-11-27", 1, 0, 0),
            new CallsOfDay("2026-11-28", 1, 1, 0));
        GetCallsPerDayEndpoint.Days(hours, TimeZoneInfo.Utc, new DateOnly(2026, 11, 27), 2)
            .Should().Equal(new CallsOfDay("2026-11-27", 2, 1, 0), new CallsOfDay("2026-11-28", 0, 0, 0));
    }
}
