using BuildingBlocks.Phones;

namespace Calls;

/// <summary>A number as UIS sent it, and its normal form (E.164, or <c>sip:…</c> for an employee's line); null when it is not a number.</summary>
public sealed record UisNumber(string? Raw, string? Normalized)
{
    public static UisNumber Phone(string? raw) => new(raw, BuildingBlocks.Phones.Phone.ToE164(raw));
    public static UisNumber Employee(string? raw) => new(raw, EmployeeNumber.Normalize(raw));
}

/// <summary>What a UIS notification says about a call; any of it may be missing, depending on the event.</summary>
public sealed record UisCallFacts(
    long UisCallSessionId,
    string? Direction,
    UisNumber Line,
    UisNumber Client,
    UisNumber Employee,
    int? EmployeeId);

public sealed record CallStarted(Guid CallId, UisCallFacts Facts, DateTimeOffset ReceivedAt);

public sealed record CallEnded(Guid CallId, UisCallFacts Facts, int TalkSeconds, DateTimeOffset ReceivedAt);

/// <summary>UIS recording links, never exposed by the API; only links the call did not have yet.</summary>
public sealed record CallRecordingsAttached(Guid CallId, IReadOnlyList<string> Links);

/// <summary>The slim write model of a call stream: only what the decisions need.</summary>
public sealed partial record Call(Guid Id, bool Started, bool Ended, IReadOnlyList<string> RecordingLinks)
{
    public static Call Create(CallStarted e) => new(e.CallId, true, false, []);
    public static Call Create(CallEnded e) => new(e.CallId, false, true, []);
    public Call Apply(CallStarted e) => this with { Started = true };
    public Call Apply(CallEnded e) => this with { Ended = true };
    public Call Apply(CallRecordingsAttached e) => this with { RecordingLinks = [.. RecordingLinks, .. e.Links] };

    /// <summary>The same Create/Apply as Marten's aggregation, for folding events a batch has just decided.</summary>
    public static Call Advance(Call? call, object @event) => (call, @event) switch
    {
        (null, CallStarted e) => Create(e),
        (null, CallEnded e) => Create(e),
        (not null, CallStarted e) => call.Apply(e),
        (not null, CallEnded e) => call.Apply(e),
        (not null, CallRecordingsAttached e) => call.Apply(e),
        _ => throw new InvalidOperationException($"{@event.GetType().Name} cannot start a call stream."),
    };

    /// <summary>
    /// The stream of a UIS call session. Derived from the session id, so every notification of a
    /// session finds its stream without a lookup; the session id is readable in the last 12 hex digits.
    /// </summary>
    public static Guid IdForUisSession(long sessionId) => Guid.Parse($"00000000-0000-4000-8000-{sessionId:x12}");
}
