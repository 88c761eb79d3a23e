using System.Diagnostics.Metrics;

namespace BuildingBlocks.Telemetry;

/// <summary>The service's own metrics (meter <c>EnvyCrm.Uis</c>), exported by the host (Prometheus at <c>/metrics</c>, OTLP when configured).</summary>
public static class ServiceMetrics
{
    public const string MeterName = "EnvyCrm.Uis";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Notifications =
        Meter.CreateCounter<long>("envycrm.uis.notifications", description: "UIS notifications received, by event and outcome");
    private static readonly Counter<long> RoutingDecisions =
        Meter.CreateCounter<long>("envycrm.routing.decisions", description: "Routing answers, by outcome and reason");
    private static readonly Histogram<double> RoutingDuration =
        Meter.CreateHistogram<double>("envycrm.routing.duration", unit: "ms", description: "Time to the routing decision, from the request's arrival");
    private static readonly Counter<long> UisApiCalls =
        Meter.CreateCounter<long>("envycrm.uis.api.calls", description: "Calls to UIS's Call API and Data API, by method and outcome");
    private static readonly Counter<long> RecordingArchives =
        Meter.CreateCounter<long>("envycrm.recordings.archives", description: "Recording archive outcomes");

    /// <summary>Each projection's lag in events, as last read by the host; observed by the gauge below.</summary>
    public static volatile IReadOnlyDictionary<string, long> ProjectionLags = new Dictionary<string, long>();

    private static readonly ObservableGauge<long> ProjectionLag = Meter.CreateObservableGauge(
        "envycrm.projections.lag", () => ProjectionLags.Select(p => new Measurement<long>(p.Value, new KeyValuePair<string, object?>("projection", p.Key))),
        unit: "events", description: "Events a projection has still to process");

    public static void NotificationReceived(string? @event, string outcome) =>
        Notifications.Add(1, new("event", @event ?? "unknown"), new("outcome", outcome));

    public static void RoutingDecided(string outcome, string? reason, double milliseconds)
    {
        RoutingDecisions.Add(1, new("outcome", outcome), new("reason", reason ?? "none"));
        RoutingDuration.Record(milliseconds, new KeyValuePair<string, object?>("outcome", outcome));
    }

    public static void UisApiCalled(string method, string outcome) => UisApiCalls.Add(1, new("method", method), new("outcome", outcome));

    public static void RecordingArchiveEnded(string outcome) => RecordingArchives.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
