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

/// <summary>The slim write model of a call stream: what the decisions need, and what other modules hear about the call.</summary>
public sealed partial record Call(
    Guid Id, long UisCallSessionId, bool Started, bool Ended, IReadOnlyList<string> RecordingLinks,
    string? Direction, string? ClientPhone, string? Line, int? EmployeeId, DateTimeOffset At)
{
    public static Call Create(CallStarted e) => Learn(new Call(e.CallId, e.Facts.UisCallSessionId, true, false, [], null, null, null, null, e.ReceivedAt), e.Facts);
    public static Call Create(CallEnded e) => Learn(new Call(e.CallId, e.Facts.UisCallSessionId, false, true, [], null, null, null, null, e.ReceivedAt), e.Facts);
    public static Call Create(Outgoing.CallPlacedFromCrm e) => new Call(e.CallId, e.UisCallSessionId, false, false, [], null, null, null, null, e.At).Apply(e);
    public Call Apply(CallStarted e) => Learn(this with { Started = true, At = e.ReceivedAt < At ? e.ReceivedAt : At }, e.Facts);
    public Call Apply(CallEnded e) => Learn(this with { Ended = true }, e.Facts) with { EmployeeId = e.Facts.EmployeeId ?? EmployeeId };
    public Call Apply(CallRecordingsAttached e) => this with { RecordingLinks = [.. RecordingLinks, .. e.Links] };
    /// <summary>Not a start: UIS's own <c>call_start</c> still adds its facts. What the CRM asked for is known first.</summary>
    public Call Apply(Outgoing.CallPlacedFromCrm e) => this with
    {
        Direction = "out", ClientPhone = e.ClientPhone, Line = e.Line, EmployeeId = e.EmployeeId, At = e.At < At ? e.At : At,
    };

    private static Call Learn(Call call, UisCallFacts facts) => call with
    {
        Direction = call.Direction ?? facts.Direction,
        ClientPhone = call.ClientPhone ?? facts.Client.Normalized,
        Line = call.Line ?? facts.Line.Normalized ?? facts.Line.Raw,
        EmployeeId = call.EmployeeId ?? facts.EmployeeId,
    };

    /// <summary>The same Create/Apply as Marten's aggregation, for folding events a batch has just decided.</summary>
    public static Call Advance(Call? call, object @event) => (call, @event) switch
    {
        (null, CallStarted e) => Create(e),
        (null, CallEnded e) => Create(e),
        (not null, CallStarted e) => call.Apply(e),
        (not null, CallEnded e) => call.Apply(e),
        (not null, CallRecordingsAttached e) => call.Apply(e),
        (null, Outgoing.CallPlacedFromCrm e) => Create(e),
        (not null, Outgoing.CallPlacedFromCrm e) => call.Apply(e),
        _ => throw new InvalidOperationException($"{@event.GetType().Name} cannot start a call stream."),
    };

    /// <summary>The recordings these new events attach, numbered from 1 in the order they came, to be archived.</summary>
    public static IEnumerable<Recordings.ArchiveRecording> RecordingsToArchive(Call? before, IEnumerable<object> added)
    {
        var n = before?.RecordingLinks.Count ?? 0;
        foreach (var attached in added.OfType<CallRecordingsAttached>())
        foreach (var link in attached.Links)
            yield return new Recordings.ArchiveRecording(attached.CallId, ++n, link);
    }

    /// <summary>What other modules hear of these new events: that the call began, ended, or both; null when neither.</summary>
    public static Calls.Contracts.CallChange? Change(Call? before, Call? after, IReadOnlyCollection<object> added)
    {
        if (after is null || added.Count == 0) return null;
        var ended = added.OfType<CallEnded>().FirstOrDefault();
        if (before is not null && ended is null) return null;
        return new Calls.Contracts.CallChange(after.Id, after.UisCallSessionId, after.Direction, after.ClientPhone, after.Line,
            after.EmployeeId, after.At, Began: before is null,
            EndedStatus: ended is null ? null : CallHistory.CallStatus.Of(ended.TalkSeconds, after.Direction));
    }

    /// <summary>
    /// The stream of a UIS call session. Derived from the session id, so every notification of a
    /// session finds its stream without a lookup; the session id is readable in the last 12 hex digits.
    /// </summary>
    public static Guid IdForUisSession(long sessionId) => Guid.Parse($"00000000-0000-4000-8000-{sessionId:x12}");
}
