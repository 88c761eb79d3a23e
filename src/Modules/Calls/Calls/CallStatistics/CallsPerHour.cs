using Calls.CallHistory;
using Marten.Events.Projections;

namespace Calls.CallStatistics;

/// <summary>
/// Ended calls of one UTC hour, by outcome. Hours rather than days so that the reader can cut them
/// into the tenant's own days whatever its time zone, without the projection knowing it.
/// </summary>
public sealed class CallsPerHour
{
    /// <summary>The hour in UTC, <c>yyyy-MM-ddTHH</c>.</summary>
    public string Id { get; set; } = "";
    public DateTimeOffset Hour { get; set; }
    public int Answered { get; set; }
    /// <summary>Incoming calls nobody answered.</summary>
    public int Missed { get; set; }
    /// <summary>Outgoing calls the client did not answer.</summary>
    public int Unanswered { get; set; }

    public static string IdOf(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Asynchronous: nobody waits for a chart, and the notification path should not pay for a hot row
/// every call of the hour would update.
/// </summary>
public sealed partial class CallsPerHourProjection : MultiStreamProjection<CallsPerHour, string>
{
    public CallsPerHourProjection() => Identity<CallEnded>(e => CallsPerHour.IdOf(e.ReceivedAt));

    public static CallsPerHour Create(CallEnded e)
    {
        var utc = e.ReceivedAt.UtcDateTime;
        return Apply(e, new CallsPerHour
        {
            Id = CallsPerHour.IdOf(e.ReceivedAt),
            Hour = new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero),
        });
    }

    public static CallsPerHour Apply(CallEnded e, CallsPerHour hour)
    {
        switch (CallStatus.Of(e.TalkSeconds, e.Facts.Direction))
        {
            case CallStatus.Answered: hour.Answered++; break;
            case CallStatus.Unanswered: hour.Unanswered++; break;
            default: hour.Missed++; break;
        }
        return hour;
    }
}
