namespace Calls.Uis;

/// <summary>A UIS notification turned into a command on one call stream.</summary>
public interface ICallCommand
{
    Guid CallId { get; }
    UisCallFacts Facts { get; }

    /// <summary>The events this command adds to the call as it stands (the handlers' pure decisions).</summary>
    static IEnumerable<object> Decide(ICallCommand command, UisCallFacts facts, Call? call) => command switch
    {
        RecordCallStarted started => RecordCallStartedHandler.Handle(started, facts, call),
        RecordCallEnded ended => RecordCallEndedHandler.Handle(ended, facts, call),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name),
    };
}
