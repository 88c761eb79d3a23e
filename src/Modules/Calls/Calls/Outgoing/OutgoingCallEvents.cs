namespace Calls.Outgoing;

// A click-to-call has two streams (ADR 10). The request's own, started before UIS is asked:

/// <summary>An employee asked for a call to the client from the CRM; UIS is being asked to place it.</summary>
public sealed record OutgoingCallRequested(Guid RequestId, int EmployeeId, long UisEmployeeId, string ClientPhone, string Line, DateTimeOffset At);

/// <summary>UIS placed the call: from now on it is the call of UIS session <c>UisCallSessionId</c> (stream <c>CallId</c>).</summary>
public sealed record OutgoingCallPlaced(Guid RequestId, long UisCallSessionId, Guid CallId, DateTimeOffset At);

/// <summary>UIS refused the call (<c>Mnemonic</c> as UIS named the error), or could not be reached at all.</summary>
public sealed record OutgoingCallFailed(Guid RequestId, string Mnemonic, string Message, DateTimeOffset At);

/// <summary>UIS did not answer in time: the call may or may not have been placed. It is not asked again (never ring twice).</summary>
public sealed record OutgoingCallOutcomeUnknown(Guid RequestId, string Reason, DateTimeOffset At);

// And the call's stream (derived from the UIS session, where UIS's notifications go), in any order with them:

/// <summary>This UIS call was placed from the CRM, at an employee's request.</summary>
public sealed record CallPlacedFromCrm(Guid CallId, Guid RequestId, long UisCallSessionId, int EmployeeId, string ClientPhone, string Line, DateTimeOffset At);
