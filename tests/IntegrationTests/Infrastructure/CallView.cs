namespace IntegrationTests.Infrastructure;

/// <summary>The call history entry as the CRM reads it from the API.</summary>
public sealed record CallView(
    Guid Id, long UisCallSessionId, string? Direction, string? LineNumber, string? ClientPhone, string? ClientPhoneRaw,
    bool ClientPhoneUnrecognised, int? EmployeeId, string? EmployeeNumber, DateTimeOffset StartedAt, DateTimeOffset? EndedAt,
    int? TalkSeconds, string Status, int RecordingCount, Guid? ClientId = null, CallRoutingView? Routing = null, bool StartedFromCrm = false,
    string? FailureReason = null, List<RecordingView> Recordings = null!);

public sealed record RecordingView(int N, string Status, int? DurationSeconds, string Url, long? Size, string? ContentType);

public sealed record CallRoutingView(string Outcome, int? EmployeeId, string? Reason);

public sealed record CallPage(List<CallView> Items, string? NextCursor);
