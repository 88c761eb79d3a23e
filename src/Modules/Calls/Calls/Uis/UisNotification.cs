using BuildingBlocks.Uis;

namespace Calls.Uis;

/// <summary>
/// Turns the parameters of a UIS notification (the three templates of the setup guide) into a
/// command, or says why it cannot.
/// </summary>
public static class UisNotification
{
    public sealed record Parsed(ICallCommand? Command, string? Error);

    public static Parsed Parse(IReadOnlyDictionary<string, string?> fields, DateTimeOffset receivedAt)
    {
        var eventName = UisValue.Text(fields.GetValueOrDefault("event"));
        if (eventName is not ("call_start" or "call_end"))
            return new(null, eventName is null
                ? "The parameter \"event\" is missing: expected call_start or call_end."
                : $"Unknown event \"{eventName}\": expected call_start or call_end.");

        if (UisValue.Long(fields.GetValueOrDefault("call_hash")) is not { } session || session <= 0)
            return new(null, "The parameter \"call_hash\" (UIS call_session_id) is missing or not a positive integer.");

        var facts = new UisCallFacts(
            session,
            Direction(fields.GetValueOrDefault("direction")),
            UisNumber.Phone(UisValue.Text(fields.GetValueOrDefault("line_number"))),
            UisNumber.Phone(UisValue.Text(fields.GetValueOrDefault("client_number"))),
            UisNumber.Employee(UisValue.Text(fields.GetValueOrDefault("extension"))),
            EmployeeId: null);
        var callId = Call.IdForUisSession(session);

        return eventName == "call_start"
            ? new(new RecordCallStarted(callId, facts, receivedAt), null)
            : new(new RecordCallEnded(callId, facts,
                UisValue.Seconds(fields.GetValueOrDefault("talk_time_duration")) ?? 0,
                UisValue.List(fields.GetValueOrDefault("record_links")),
                receivedAt), null);
    }

    private static string? Direction(string? raw) => UisValue.Text(raw)?.ToLowerInvariant() switch
    {
        "in" or "incoming" => "in",
        "out" or "outgoing" => "out",
        _ => null,
    };
}
