namespace Calls.Recordings;

/// <summary>Download recording <c>N</c> of the call from UIS into storage (a durable local message: it survives a restart).</summary>
public sealed record ArchiveRecording(Guid CallId, int N, string Link);

public sealed record CallRecordingArchived(Guid CallId, int N, long Size, string ContentType, string Sha256, DateTimeOffset At, int? DurationSeconds = null);

/// <summary>UIS answered 404 or 410: the link has expired.</summary>
public sealed record CallRecordingExpired(Guid CallId, int N, int HttpStatus, DateTimeOffset At);

/// <summary>The download kept failing (network errors, 5xx) until the retries ran out.</summary>
public sealed record CallRecordingFailed(Guid CallId, int N, string Reason, DateTimeOffset At);

/// <summary>The link broke the fetching rules (not https, not a UIS media host, a redirect elsewhere, too large): never fetched further.</summary>
public sealed record CallRecordingRejected(Guid CallId, int N, string Reason, DateTimeOffset At);

/// <summary>The archived file was removed by the tenant's retention setting.</summary>
public sealed record CallRecordingDeleted(Guid CallId, int N, string Reason, DateTimeOffset At);

public static class RecordingStatus
{
    public const string Pending = "pending";
    public const string Archived = "archived";
    public const string Expired = "expired";
    public const string Failed = "failed";
    public const string Rejected = "rejected";
    public const string Deleted = "deleted";
}

/// <summary>A recording as the history and the card show it; the UIS link is never part of it.</summary>
/// <param name="Sha256">The archived file's content hash: its name in storage.</param>
public sealed record RecordingView(int N, string Status, int? DurationSeconds, string Url, long? Size = null, string? ContentType = null,
    string? Sha256 = null, DateTimeOffset? ArchivedAt = null)
{
    public static string UrlOf(Guid callId, int n) => $"/api/calls/{callId}/recordings/{n}";
}
