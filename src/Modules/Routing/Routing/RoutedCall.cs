namespace Routing;

public static class RoutingOutcome
{
    public const string Routed = "routed";
    public const string FellBack = "fell-back";
}

/// <summary>UIS was told to put the caller through to their personal manager.</summary>
public sealed record CallRoutedToManager(Guid RoutingId, long? UisCallSessionId, string CallerPhone, Guid ClientId, int EmployeeId,
    IReadOnlyList<string> Phones, DateTimeOffset At);

/// <summary>UIS was answered with an error so that it rings its group; <c>Reason</c> says why.</summary>
public sealed record CallRoutingFellBack(Guid RoutingId, long? UisCallSessionId, string? CallerPhone, string Reason, Guid? ClientId, int? EmployeeId,
    DateTimeOffset At);

public static class RoutedCall
{
    /// <summary>
    /// The routing stream of a UIS call session: derived from the session id like the call's own
    /// stream, in another range (…-9000-…) so the two never share an id. Without a session id, a new one.
    /// </summary>
    public static Guid IdFor(long? uisCallSessionId, DateTimeOffset at) =>
        uisCallSessionId is { } session ? Guid.Parse($"00000000-0000-4000-9000-{session:x12}") : Guid.CreateVersion7(at);
}
