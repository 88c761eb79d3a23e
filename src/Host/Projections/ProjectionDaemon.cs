using JasperFx.Events.Daemon;

namespace Host.Projections;

public static class ProjectionDaemon
{
    /// <summary>
    /// <c>Projections:Daemon</c>: <c>HotCold</c> (default: every node is ready, one runs the asynchronous
    /// projections at a time), <c>Solo</c> (a single node, no election) or <c>Disabled</c> (this node never runs them).
    /// </summary>
    public static DaemonMode Mode(IConfiguration configuration) =>
        Enum.TryParse<DaemonMode>(configuration["Projections:Daemon"], ignoreCase: true, out var mode) ? mode : DaemonMode.HotCold;
}
