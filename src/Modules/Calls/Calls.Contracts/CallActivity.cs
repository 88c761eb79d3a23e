namespace Calls.Contracts;

/// <summary>
/// Integration event: what one commit of the Calls module changed, one entry per call. Published
/// through Wolverine's outbox in the transaction that stored the calls' events (one message per
/// commit, not per call), on the durable local queue <see cref="Queue"/>.
/// </summary>
public sealed record CallActivity(IReadOnlyList<CallChange> Changes)
{
    public const string Queue = "call-activity";
}

/// <param name="Began">This commit started the call's stream: the service had not seen the call before.</param>
/// <param name="EndedStatus"><c>answered</c>, <c>missed</c> or <c>unanswered</c> when this commit ended the call; otherwise null.</param>
/// <param name="ClientPhone">E.164, or null when the number is hidden or not a phone number.</param>
/// <param name="Direction"><c>in</c>, <c>out</c>, or null when UIS did not say.</param>
/// <param name="EmployeeId">The CRM employee on the call, when UIS named a number of one.</param>
public sealed record CallChange(
    Guid CallId, long UisCallSessionId, string? Direction, string? ClientPhone, string? Line, int? EmployeeId,
    DateTimeOffset At, bool Began, string? EndedStatus);
