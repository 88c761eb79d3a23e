using System.Security.Claims;
using BuildingBlocks.Phones;
using BuildingBlocks.Tenancy;
using BuildingBlocks.Uis.Api;
using Calls.Contracts;
using Integration.Contracts;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Polly.Timeout;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten.Publishing;
using Wolverine.Runtime;

namespace Calls.Outgoing;

/// <param name="EmployeeId">Only an admin may place a call for another employee.</param>
public sealed record StartOutgoingCall(string? Phone, string? LineNumber, int? EmployeeId);

public sealed record OutgoingCallStarted(Guid CallId, long UisCallSessionId);

/// <summary>
/// Click-to-call: UIS rings the employee, then the client (<c>start.employee_call</c>, first call to
/// the employee). Recorded before UIS is asked, and never asked twice (ADR 10).
/// </summary>
public static class StartOutgoingCallEndpoint
{
    [WolverinePost("/api/calls/outgoing"), Authorize(Policy = Auth.Employee), Microsoft.AspNetCore.Mvc.ProducesResponseType<OutgoingCallStarted>(202),
     Microsoft.AspNetCore.Mvc.ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(422, "application/problem+json"),
     Microsoft.AspNetCore.Mvc.ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(429, "application/problem+json"),
     Microsoft.AspNetCore.Mvc.ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(502, "application/problem+json"),
     Microsoft.AspNetCore.Mvc.ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(504, "application/problem+json")]
    public static async Task<IResult> Post(StartOutgoingCall request, ClaimsPrincipal user, IDocumentStore store, OutboxedSessionFactory outbox,
        IWolverineRuntime runtime, IUisApiKeys keys, UisCallApi uis, TimeProvider clock, ILogger<OutgoingCallStarted> logger, CancellationToken ct)
    {
        var tenant = user.FindFirstValue(Auth.TenantClaim)!;
        var signedIn = int.Parse(user.FindFirstValue(Auth.EmployeeClaim)!, System.Globalization.CultureInfo.InvariantCulture);
        var employeeId = request.EmployeeId ?? signedIn;
        if (employeeId != signedIn && !user.IsInRole(Auth.AdminRole))
            return TypedResults.Problem(statusCode: 403, title: "Only an admin places calls for another employee");
        if (Phone.ToE164(request.Phone) is not { } clientPhone || Phone.ToUisDigits(clientPhone) is not { } contact)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["phone"] = [$"\"{request.Phone}\" is not a phone number that can be dialled; e.g. 8 (926) 000-00-00 or +79260000000."],
            });

        Employee? employee;
        TenantLines? lines;
        await using (var query = store.QuerySession(tenant))
        {
            var batch = query.CreateBatchQuery();
            var employeeRead = batch.Load<Employee>(employeeId);
            var linesRead = batch.Load<TenantLines>(TenantLines.DocumentId);
            await batch.Execute(ct);
            (employee, lines) = (await employeeRead, await linesRead);
        }
        if (employee is null) return Unprocessable("employee-not-found", $"Employee {employeeId} is not in the employee directory (PUT /api/settings/employees/{employeeId}).");
        if (employee.UisEmployeeId is not { } uisEmployeeId)
            return Unprocessable("employee-without-uis-id", $"Employee {employeeId} has no UIS employee id; set uisEmployeeId (POST /api/settings/uis/check lists UIS's employees).");
        var line = request.LineNumber is null ? lines?.Lines.FirstOrDefault() : Phone.ToE164(request.LineNumber);
        if (line is null || lines?.Lines.Contains(line) != true)
            return Unprocessable("line-not-found", request.LineNumber is null
                ? "The account has no lines; add its UIS virtual numbers with PUT /api/settings/lines."
                : $"\"{request.LineNumber}\" is not one of the account's lines.");
        if (await keys.ApiKeyAsync(tenant, ct) is not { } apiKey)
            return Unprocessable("uis-not-connected", "The UIS API key is not set; an admin sets it with PUT /api/settings/uis.");

        var requestId = Guid.CreateVersion7();
        await using (var session = store.LightweightSession(tenant))
        {
            session.Events.StartStream(requestId, new OutgoingCallRequested(requestId, employeeId, uisEmployeeId, clientPhone, line, clock.GetUtcNow()));
            await session.SaveChangesAsync(ct);
        }

        var employeeCall = new Dictionary<string, object?> { ["id"] = uisEmployeeId };
        if (employee.Phones.Select(p => Phone.ToUisDigits(p)).FirstOrDefault(p => p is not null) is { } employeePhone) employeeCall["phone_number"] = employeePhone;
        UisReply reply;
        try
        {
            // Not the request's token: once sent, the answer is awaited even if the browser goes away.
            reply = await uis.CallAsync("start.employee_call", new Dictionary<string, object?>
            {
                ["access_token"] = apiKey, ["first_call"] = "employee", ["direction"] = "out", ["virtual_phone_number"] = Phone.ToUisDigits(line),
                ["contact"] = contact, ["employee"] = employeeCall, ["external_id"] = requestId.ToString(),
            }, CancellationToken.None);
        }
        catch (TimeoutRejectedException)
        {
            logger.LogWarning("UIS's Call API did not answer click-to-call {RequestId} in time; its outcome is unknown and it is not asked again", requestId);
            await RecordAsync(store, tenant, requestId, new OutgoingCallOutcomeUnknown(requestId, "uis-timeout", clock.GetUtcNow()));
            return Problem(504, "UIS did not answer in time", "The call may or may not have been placed; it is not requested again, so it cannot ring twice. " +
                "It shows in the history once UIS reports it.", "uis-timeout", requestId);
        }
        catch (HttpRequestException e) when (UisCallApi.NeverReachedUis(e))
        {
            logger.LogWarning("UIS's Call API could not be reached for tenant {Tenant}: {Error}", tenant, e.Message);
            await RecordAsync(store, tenant, requestId, new OutgoingCallFailed(requestId, "uis-unreachable", e.Message, clock.GetUtcNow()));
            return Problem(502, "UIS could not be reached", "No connection to UIS's Call API; nothing was placed. Try again.", "uis-unreachable", requestId);
        }
        catch (HttpRequestException e)
        {
            await RecordAsync(store, tenant, requestId, new OutgoingCallOutcomeUnknown(requestId, "uis-connection-lost", clock.GetUtcNow()));
            return Problem(504, "The connection to UIS was lost", $"The call may or may not have been placed ({e.HttpRequestError}); it is not requested again.",
                "uis-connection-lost", requestId);
        }

        if (reply.Error is { } error)
        {
            await RecordAsync(store, tenant, requestId, new OutgoingCallFailed(requestId, error.Mnemonic, error.Message, clock.GetUtcNow()));
            return Explain(error, requestId);
        }
        if (!reply.Result.TryGetProperty("data", out var data) || !data.TryGetProperty("call_session_id", out var sessionElement) ||
            !sessionElement.TryGetInt64(out var uisSession))
        {
            await RecordAsync(store, tenant, requestId, new OutgoingCallOutcomeUnknown(requestId, "uis-answer-without-session", clock.GetUtcNow()));
            return Problem(502, "UIS answered without a call session", "The call may have been placed; it is not requested again.", "uis-answer-without-session", requestId);
        }

        var callId = Call.IdForUisSession(uisSession);
        try
        {
            await PlaceAsync(store, outbox, runtime, tenant, new CallPlacedFromCrm(callId, requestId, uisSession, employeeId, clientPhone, line, clock.GetUtcNow()));
        }
        catch (Exception e)
        {
            // The phone is ringing: say so, or the employee clicks again and it rings twice. UIS's
            // notifications still make the call's history row; only the link to the request is missing.
            logger.LogError(e, "Call {CallId} of tenant {Tenant} was placed by UIS but not recorded as placed from the CRM", callId, tenant);
        }
        return TypedResults.Accepted($"/api/calls/{callId}", new OutgoingCallStarted(callId, uisSession));
    }

    /// <summary>
    /// Joins the request to the call's stream, where UIS's notifications go; they may already be there
    /// (in any order). A notification written at the same moment makes this try again.
    /// </summary>
    private static Task PlaceAsync(IDocumentStore store, OutboxedSessionFactory outbox, IWolverineRuntime runtime, string tenant, CallPlacedFromCrm placed) =>
        CallStreamWrites.RetryingAsync(async () =>
        {
            var messages = new MessageContext(runtime) { TenantId = tenant };
            await using var session = outbox.OpenSession(messages, tenant);
            session.Events.Append(placed.RequestId, new OutgoingCallPlaced(placed.RequestId, placed.UisCallSessionId, placed.CallId, placed.At));
            var call = await session.Events.FetchForWriting<Call>(placed.CallId);
            call.AppendOne(placed);
            if (Call.Change(call.Aggregate, Call.Advance(call.Aggregate, placed), [placed]) is { } change)
                await messages.PublishAsync(new CallActivity([change]));
            await session.SaveChangesAsync();
            await messages.FlushOutgoingMessagesAsync();
        });

    private static async Task RecordAsync(IDocumentStore store, string tenant, Guid requestId, object outcome)
    {
        await using var session = store.LightweightSession(tenant);
        session.Events.Append(requestId, outcome);
        await session.SaveChangesAsync();
    }

    /// <summary>UIS's error, explained to the person who clicked (issue 5's table).</summary>
    public static IResult Explain(UisError error, Guid requestId) => error.Mnemonic switch
    {
        "ip_not_whitelisted" => Problem(502, "UIS refused the CRM's address",
            "Add the CRM's outgoing address to the UIS API whitelist (UIS: Settings → API).", error.Mnemonic, requestId),
        var m when m.StartsWith("access_token_", StringComparison.Ordinal) => Problem(502, "UIS refused the API key",
            "The API key is wrong, expired or blocked; an admin sets a new one with PUT /api/settings/uis.", m, requestId),
        "employee_not_found" or "no_active_phone_number" => Problem(422, "UIS cannot ring this employee",
            "UIS does not know this employee or the employee has no active phone number in UIS; check the employee's UIS id and numbers.", error.Mnemonic, requestId),
        "contact_in_blacklist" => Problem(422, "The number is on the UIS blacklist", "UIS will not call a blacklisted number.", error.Mnemonic, requestId),
        "limit_exceeded" => new RetryAfter(error.MinuteReset ?? 60, Problem(429, "UIS's per-minute limit is used up",
            $"Try again in {error.MinuteReset ?? 60} s.", error.Mnemonic, requestId)),
        _ => Problem(502, "UIS refused the call", $"UIS answered {error.Mnemonic}: {error.Message}", error.Mnemonic, requestId),
    };

    private static IResult Unprocessable(string reason, string detail) =>
        TypedResults.Problem(statusCode: 422, title: "The call cannot be placed", detail: detail, extensions: new Dictionary<string, object?> { ["reason"] = reason });

    private static IResult Problem(int status, string title, string detail, string mnemonic, Guid requestId) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail,
            extensions: new Dictionary<string, object?> { ["mnemonic"] = mnemonic, ["callId"] = requestId });

    private sealed class RetryAfter(int seconds, IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(context);
        }
    }
}
