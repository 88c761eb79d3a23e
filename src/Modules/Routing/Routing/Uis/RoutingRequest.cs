using BuildingBlocks.Phones;
using BuildingBlocks.Uis;

namespace Routing.Uis;

/// <summary>
/// UIS's "interactive call processing" request (uis-protocol.md §3): <c>numa</c> the caller, and
/// when the scenario sends them, <c>numb</c>, <c>call_session_id</c>, <c>cdr_id</c>, <c>start_time</c>, <c>input_result</c>.
/// </summary>
public sealed record RoutingRequest(string? CallerRaw, string? Caller, string? CalledNumber, long? UisCallSessionId, string? CdrId, string? InputResult)
{
    public const string EventName = "redirect_incoming";

    public static bool IsRouting(IReadOnlyDictionary<string, string?> fields) =>
        UisValue.Text(fields.GetValueOrDefault("event")) == EventName;

    public static RoutingRequest Parse(IReadOnlyDictionary<string, string?> fields)
    {
        var caller = UisValue.Text(fields.GetValueOrDefault("numa"));
        return new RoutingRequest(
            caller,
            Phone.ToE164(caller),
            Phone.ToE164(UisValue.Text(fields.GetValueOrDefault("numb"))),
            UisValue.Long(fields.GetValueOrDefault("call_session_id")) is > 0 and var session ? session : null,
            UisValue.Text(fields.GetValueOrDefault("cdr_id")),
            UisValue.Text(fields.GetValueOrDefault("input_result")) is { } input && input != "None" ? input : null);
    }
}
