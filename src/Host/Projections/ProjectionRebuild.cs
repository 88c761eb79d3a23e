namespace Host.Projections;

/// <summary>
/// One rebuild, kept as a document (not tenanted) so that its status answers from any node and
/// outlives the process that ran it.
/// </summary>
public sealed class ProjectionRebuild
{
    public Guid Id { get; set; }
    public string Projection { get; set; } = "";
    /// <summary>Null: every tenant.</summary>
    public string? Tenant { get; set; }
    /// <summary><c>running</c>, <c>done</c> or <c>failed</c>.</summary>
    public string State { get; set; } = Running;
    /// <summary>Events replayed so far: for a rebuild of every tenant, the event store's position reached.</summary>
    public long Processed { get; set; }
    /// <summary>Events to replay: for a rebuild of every tenant, the event store's high-water mark when it started.</summary>
    public long Total { get; set; }
    public double Percent => Total == 0 ? (State == Done ? 100 : 0) : Math.Round(Math.Min(100, 100.0 * Processed / Total), 1);
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public double ElapsedSeconds => Math.Round(((FinishedAt ?? UpdatedAt) - StartedAt).TotalSeconds, 1);
    /// <summary>Streams written to while the rebuild ran, replayed again at its end.</summary>
    public int StreamsCaughtUp { get; set; }
    public string? Node { get; set; }
    public string? Error { get; set; }

    public const string Running = "running";
    public const string Done = "done";
    public const string Failed = "failed";
}
