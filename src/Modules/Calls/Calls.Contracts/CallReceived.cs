namespace Calls.Contracts;

/// <summary>
/// Integration event: a call the service had not seen before (its first notification, whichever
/// came first). Published through Wolverine's outbox in the transaction that started the call's
/// stream, on a durable local queue.
/// </summary>
/// <param name="ClientPhone">E.164, or null when the number is hidden or not a phone number.</param>
/// <param name="Direction"><c>in</c>, <c>out</c>, or null when UIS did not say.</param>
public sealed record CallReceived(Guid CallId, long UisCallSessionId, string? Direction, string? ClientPhone, string? Line,
    int? EmployeeId, DateTimeOffset At);
