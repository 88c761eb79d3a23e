using System.Text.Json.Serialization;
using Marten.Events.Aggregation;

namespace Calls.CallHistory;

/// <summary>One row of the call history: every call, both directions, answered or missed.</summary>
public sealed class CallHistoryEntry
{
    public Guid Id { get; set; }
    public long UisCallSessionId { get; set; }
    /// <summary><c>in</c> or <c>out</c>; null while UIS has not said.</summary>
    public string? Direction { get; set; }
    public string? LineNumber { get; set; }
    /// <summary>E.164 with '+'; null when UIS sent something that is not a phone number (see <see cref="ClientPhoneRaw"/>).</summary>
    public string? ClientPhone { get; set; }
    public string? ClientPhoneRaw { get; set; }
    public bool ClientPhoneUnrecognised { get; set; }
    public int? EmployeeId { get; set; }
    public string? EmployeeNumber { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public int? TalkSeconds { get; set; }
    /// <summary>
    /// <c>answered</c>, <c>missed</c>, <c>unanswered</c> or <c>in-progress</c>; for a click-to-call UIS has not
    /// placed: <c>requested</c> (UIS is being asked), <c>failed</c> or <c>unknown</c> (UIS did not answer in time).
    /// </summary>
    public string Status { get; set; } = CallStatus.InProgress;
    public int RecordingCount { get; set; }
    /// <summary>Each recording: its number, status and playback URL (never UIS's link).</summary>
    public List<Recordings.RecordingView> Recordings { get; set; } = [];
    /// <summary>Placed by click-to-call from the CRM.</summary>
    public bool StartedFromCrm { get; set; }
    /// <summary>For a click-to-call that UIS refused: its error mnemonic (e.g. <c>contact_in_blacklist</c>).</summary>
    public string? FailureReason { get; set; }
    /// <summary>
    /// The lead or client card of the number, once Leads has found or made it. Not projected: filled
    /// when the history is read, from Leads' <see cref="Leads.Contracts.LinkedCall"/>.
    /// </summary>
    public Guid? ClientId { get; set; }
    /// <summary>Routing's latest decision for the call's UIS session, if UIS asked; filled when read, like <see cref="ClientId"/>.</summary>
    public CallRoutingView? Routing { get; set; }
    /// <summary>Newest-first order of the history: start time, then id. A database column, not part of the API.</summary>
    [JsonIgnore]
    public string SortKey => $"{StartedAt.UtcTicks:D19}{Id:N}";
}

/// <param name="Outcome"><c>routed</c> or <c>fell-back</c>.</param>
public sealed record CallRoutingView(string Outcome, int? EmployeeId, string? Reason);

public static class CallStatus
{
    public const string Answered = "answered";
    public const string Missed = "missed";
    public const string Unanswered = "unanswered";
    public const string InProgress = "in-progress";
    public const string Requested = "requested";
    public const string Failed = "failed";
    public const string Unknown = "unknown";

    public static readonly string[] All = [Answered, Missed, Unanswered, InProgress, Requested, Failed, Unknown];

    /// <summary>Nobody talked: missed when the client called, unanswered when we did.</summary>
    public static string Of(int talkSeconds, string? direction) =>
        talkSeconds > 0 ? Answered : direction == "out" ? Unanswered : Missed;
}

/// <summary>
/// Inline, so a call is in the history the moment its notification is acknowledged. Notifications
/// may arrive in any order: each fact fills what is still unknown, and the end decides the status.
/// </summary>
public sealed partial class CallHistoryEntryProjection : SingleStreamProjection<CallHistoryEntry, Guid>
{
    public static CallHistoryEntry Create(CallStarted e) => Merge(new CallHistoryEntry { Id = e.CallId }, e.Facts, e.ReceivedAt);

    public static CallHistoryEntry Create(CallEnded e) => End(new CallHistoryEntry { Id = e.CallId }, e);

    public static CallHistoryEntry Apply(CallStarted e, CallHistoryEntry entry) => Merge(entry, e.Facts, e.ReceivedAt);

    public static CallHistoryEntry Apply(CallEnded e, CallHistoryEntry entry) => End(entry, e);

    public static CallHistoryEntry Apply(CallRecordingsAttached e, CallHistoryEntry entry)
    {
        foreach (var _ in e.Links)
            entry.Recordings.Add(new Recordings.RecordingView(entry.Recordings.Count + 1, Recordings.RecordingStatus.Pending, null,
                Recordings.RecordingView.UrlOf(entry.Id, entry.Recordings.Count + 1)));
        entry.RecordingCount = entry.Recordings.Count;
        return entry;
    }

    public static CallHistoryEntry Apply(Recordings.CallRecordingArchived e, CallHistoryEntry entry) =>
        Recording(entry, e.N, r => r with
        {
            Status = Recordings.RecordingStatus.Archived, Size = e.Size, ContentType = e.ContentType, Sha256 = e.Sha256, ArchivedAt = e.At,
            DurationSeconds = e.DurationSeconds,
        });

    public static CallHistoryEntry Apply(Recordings.CallRecordingDeleted e, CallHistoryEntry entry) =>
        Recording(entry, e.N, r => r with { Status = Recordings.RecordingStatus.Deleted });

    public static CallHistoryEntry Apply(Recordings.CallRecordingExpired e, CallHistoryEntry entry) =>
        Recording(entry, e.N, r => r with { Status = Recordings.RecordingStatus.Expired });

    public static CallHistoryEntry Apply(Recordings.CallRecordingFailed e, CallHistoryEntry entry) =>
        Recording(entry, e.N, r => r with { Status = Recordings.RecordingStatus.Failed });

    public static CallHistoryEntry Apply(Recordings.CallRecordingRejected e, CallHistoryEntry entry) =>
        Recording(entry, e.N, r => r with { Status = Recordings.RecordingStatus.Rejected });

    private static CallHistoryEntry Recording(CallHistoryEntry entry, int n, Func<Recordings.RecordingView, Recordings.RecordingView> change)
    {
        var index = entry.Recordings.FindIndex(r => r.N == n);
        if (index >= 0) entry.Recordings[index] = change(entry.Recordings[index]);
        return entry;
    }

    // A click-to-call shows as its request until UIS places it; then the call's own row takes over.
    public static CallHistoryEntry Create(Outgoing.OutgoingCallRequested e) => new()
    {
        Id = e.RequestId, Direction = "out", LineNumber = e.Line, ClientPhone = e.ClientPhone, ClientPhoneRaw = e.ClientPhone,
        EmployeeId = e.EmployeeId, StartedAt = e.At, Status = CallStatus.Requested, StartedFromCrm = true,
    };

    public static bool ShouldDelete(Outgoing.OutgoingCallPlaced e) => true;

    public static CallHistoryEntry Apply(Outgoing.OutgoingCallFailed e, CallHistoryEntry entry)
    {
        entry.Status = CallStatus.Failed;
        entry.FailureReason = e.Mnemonic;
        entry.EndedAt = e.At;
        return entry;
    }

    public static CallHistoryEntry Apply(Outgoing.OutgoingCallOutcomeUnknown e, CallHistoryEntry entry)
    {
        entry.Status = CallStatus.Unknown;
        entry.FailureReason = e.Reason;
        return entry;
    }

    public static CallHistoryEntry Create(Outgoing.CallPlacedFromCrm e) => Apply(e, new CallHistoryEntry { Id = e.CallId, StartedAt = e.At });

    public static CallHistoryEntry Apply(Outgoing.CallPlacedFromCrm e, CallHistoryEntry entry)
    {
        entry.UisCallSessionId = e.UisCallSessionId;
        entry.StartedFromCrm = true;
        entry.Direction ??= "out";
        entry.LineNumber ??= e.Line;
        if (entry.ClientPhone is null)
        {
            entry.ClientPhone = e.ClientPhone;
            entry.ClientPhoneRaw ??= e.ClientPhone;
            entry.ClientPhoneUnrecognised = false;
        }
        entry.EmployeeId ??= e.EmployeeId;
        if (e.At < entry.StartedAt) entry.StartedAt = e.At;
        return entry;
    }

    private static CallHistoryEntry End(CallHistoryEntry entry, CallEnded e)
    {
        // The employee UIS names at the end is the one who talked: it wins over the one at the start.
        if (e.Facts.Employee.Raw is not null)
        {
            entry.EmployeeNumber = e.Facts.Employee.Raw;
            entry.EmployeeId = e.Facts.EmployeeId;
        }
        Merge(entry, e.Facts, e.ReceivedAt);
        entry.EndedAt = e.ReceivedAt;
        entry.TalkSeconds = e.TalkSeconds;
        entry.Status = CallStatus.Of(e.TalkSeconds, entry.Direction);
        return entry;
    }

    private static CallHistoryEntry Merge(CallHistoryEntry entry, UisCallFacts facts, DateTimeOffset receivedAt)
    {
        entry.UisCallSessionId = facts.UisCallSessionId;
        entry.Direction ??= facts.Direction;
        entry.LineNumber ??= facts.Line.Normalized ?? facts.Line.Raw;
        if (entry.ClientPhoneRaw is null && facts.Client.Raw is not null)
        {
            entry.ClientPhoneRaw = facts.Client.Raw;
            entry.ClientPhone = facts.Client.Normalized;
            entry.ClientPhoneUnrecognised = facts.Client.Normalized is null;
        }
        if (entry.EmployeeNumber is null && facts.Employee.Raw is not null)
        {
            entry.EmployeeNumber = facts.Employee.Raw;
            entry.EmployeeId = facts.EmployeeId;
        }
        if (entry.StartedAt == default || receivedAt < entry.StartedAt) entry.StartedAt = receivedAt;
        return entry;
    }
}
