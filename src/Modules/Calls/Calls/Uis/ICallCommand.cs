using Calls.Contracts;
using Wolverine;
using Wolverine.Marten;

namespace Calls.Uis;

/// <summary>A UIS notification turned into a command on one call stream.</summary>
public interface ICallCommand
{
    Guid CallId { get; }
    UisCallFacts Facts { get; }
    DateTimeOffset ReceivedAt { get; }

    /// <summary>The events this command adds to the call as it stands (the handlers' pure decisions).</summary>
    static IEnumerable<object> Decide(ICallCommand command, UisCallFacts facts, Call? call) => command switch
    {
        RecordCallStarted started => RecordCallStartedHandler.Decide(started, facts, call),
        RecordCallEnded ended => RecordCallEndedHandler.Decide(ended, facts, call),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name),
    };

    /// <summary>What other modules hear: a call the service had not seen before.</summary>
    static IEnumerable<object> Announce(ICallCommand command, UisCallFacts facts, Call? before, IReadOnlyCollection<object> added)
    {
        if (before is not null || added.Count == 0) yield break;
        yield return new CallReceived(command.CallId, facts.UisCallSessionId, facts.Direction, facts.Client.Normalized,
            facts.Line.Normalized ?? facts.Line.Raw, facts.EmployeeId, command.ReceivedAt);
    }

    /// <summary>The Wolverine handlers' answer: the decided events, and the announcement that goes with them.</summary>
    static (Events, OutgoingMessages) Handle(ICallCommand command, UisCallFacts facts, Call? call)
    {
        var events = new Events(Decide(command, facts, call));
        var messages = new OutgoingMessages();
        messages.AddRange(Announce(command, facts, call, events));
        return (events, messages);
    }
}
