using Calls.Contracts;
using Wolverine;
using Wolverine.Marten;

namespace Calls.Uis;

/// <summary>A UIS notification turned into a command on one call stream.</summary>
public interface ICallCommand
{
    Guid CallId { get; }
    UisCallFacts Facts { get; }

    /// <summary>The events this command adds to the call as it stands (the handlers' pure decisions).</summary>
    static IEnumerable<object> Decide(ICallCommand command, UisCallFacts facts, Call? call) => command switch
    {
        RecordCallStarted started => RecordCallStartedHandler.Decide(started, facts, call),
        RecordCallEnded ended => RecordCallEndedHandler.Decide(ended, facts, call),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name),
    };

    /// <summary>The one-by-one handlers' answer: the decided events, and what other modules hear of them.</summary>
    static (Events, OutgoingMessages) Handle(ICallCommand command, UisCallFacts facts, Call? call)
    {
        var events = new Events(Decide(command, facts, call));
        var messages = new OutgoingMessages();
        if (Call.Change(call, events.Aggregate(call, Call.Advance), events) is { } change) messages.Add(new CallActivity([change]));
        foreach (var archive in Call.RecordingsToArchive(call, events)) messages.Add(archive);
        return (events, messages);
    }
}
