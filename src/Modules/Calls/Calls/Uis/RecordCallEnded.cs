using Wolverine;
using Wolverine.Marten;

namespace Calls.Uis;

public sealed record RecordCallEnded(Guid CallId, UisCallFacts Facts, int TalkSeconds, IReadOnlyList<string> RecordingLinks, DateTimeOffset ReceivedAt) : ICallCommand;

public static class RecordCallEndedHandler
{
    public static Task<UisCallFacts> LoadAsync(RecordCallEnded command, Marten.IQuerySession session, CancellationToken ct) =>
        EmployeeMatch.CompleteAsync(command.Facts, session, ct);

    public static (Events, OutgoingMessages) Handle(RecordCallEnded command, UisCallFacts facts, [WriteAggregate(Required = false)] Call? call) =>
        ICallCommand.Handle(command, facts, call);

    public static IEnumerable<object> Decide(RecordCallEnded command, UisCallFacts facts, Call? call)
    {
        if (call is not { Ended: true })
            yield return new CallEnded(command.CallId, facts, command.TalkSeconds, command.ReceivedAt);

        var known = call?.RecordingLinks ?? [];
        var added = command.RecordingLinks.Distinct().Except(known).ToList();
        if (added.Count > 0) yield return new CallRecordingsAttached(command.CallId, added);
    }
}
