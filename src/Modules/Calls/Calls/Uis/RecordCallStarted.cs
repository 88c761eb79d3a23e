using Wolverine;
using Wolverine.Marten;

namespace Calls.Uis;

public sealed record RecordCallStarted(Guid CallId, UisCallFacts Facts, DateTimeOffset ReceivedAt) : ICallCommand;

public static class RecordCallStartedHandler
{
    public static Task<UisCallFacts> LoadAsync(RecordCallStarted command, Marten.IQuerySession session, CancellationToken ct) =>
        EmployeeMatch.CompleteAsync(command.Facts, session, ct);

    public static (Events, OutgoingMessages) Handle(RecordCallStarted command, UisCallFacts facts, [WriteAggregate(Required = false)] Call? call) =>
        ICallCommand.Handle(command, facts, call);

    public static IEnumerable<object> Decide(RecordCallStarted command, UisCallFacts facts, Call? call)
    {
        if (call is { Started: true }) yield break;
        yield return new CallStarted(command.CallId, facts, command.ReceivedAt);
    }
}
