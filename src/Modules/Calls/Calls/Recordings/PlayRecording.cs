using BuildingBlocks.Tenancy;
using Calls.CallHistory;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Wolverine.Http;

namespace Calls.Recordings;

/// <summary>
/// Plays recording <c>n</c> of a call with HTTP range requests, so a player can seek: from storage
/// once archived, straight from UIS (ranges passed on) until then. The UIS link never leaves the service.
/// </summary>
public static class PlayRecordingEndpoint
{
    public static bool IsPlaybackPath(PathString path) =>
        path.StartsWithSegments("/api/calls") && path.Value!.Contains("/recordings/", StringComparison.Ordinal);

    [WolverineGet("/api/calls/{callId}/recordings/{n}"), Authorize(Policy = Auth.Employee), Microsoft.AspNetCore.Mvc.Produces("audio/mpeg", "audio/wav", "application/octet-stream")]
    public static async Task<IResult> Get(Guid callId, int n, HttpContext context, IQuerySession session, IRecordingStore store, RecordingFetcher fetcher,
        CancellationToken ct)
    {
        var entry = await session.LoadAsync<CallHistoryEntry>(callId, ct);
        if (entry?.Recordings.FirstOrDefault(r => r.N == n) is not { } recording)
            return TypedResults.Problem(statusCode: 404, title: "No such recording", detail: $"Call {callId} has no recording {n} in this account.");
        switch (recording.Status)
        {
            case RecordingStatus.Archived when recording.Sha256 is { } sha256 && store.OpenRead(sha256) is { } file:
                return TypedResults.File(file, recording.ContentType ?? "application/octet-stream", enableRangeProcessing: true);
            case RecordingStatus.Expired:
                return TypedResults.Problem(statusCode: 410, title: "The recording has expired", detail: "UIS no longer has it and it was not archived in time.");
            case RecordingStatus.Rejected:
                return TypedResults.Problem(statusCode: 410, title: "The recording link was refused",
                    detail: "Its link broke the fetching rules (not a UIS media address, or too large), so it was never fetched.");
            case RecordingStatus.Deleted:
                return TypedResults.Problem(statusCode: 410, title: "The recording was deleted", detail: "The account keeps recordings for a limited time.");
            case RecordingStatus.Failed:
                return TypedResults.Problem(statusCode: 502, title: "The recording could not be archived", detail: "Downloading it from UIS kept failing.");
        }

        // Not archived yet (its archiving is queued): pass it through from UIS.
        var call = await session.Events.AggregateStreamAsync<Call>(callId, token: ct);
        if (call is null || n > call.RecordingLinks.Count) return TypedResults.Problem(statusCode: 404, title: "No such recording");
        var (response, refused) = await fetcher.GetAsync(call.RecordingLinks[n - 1], context.Request.Headers.Range.ToString() is { Length: > 0 } r ? r : null, ct);
        if (refused is not null) return TypedResults.Problem(statusCode: 410, title: "The recording link was refused", detail: refused);
        return new PassedThrough(response!);
    }

    /// <summary>UIS's answer relayed as it streams: status (200 or 206), type, length and range headers, body.</summary>
    private sealed class PassedThrough(HttpResponseMessage upstream) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            using (upstream)
            {
                if (RecordingFetcher.IsExpired(upstream.StatusCode))
                {
                    await TypedResults.Problem(statusCode: 410, title: "The recording has expired").ExecuteAsync(context);
                    return;
                }
                if (!upstream.IsSuccessStatusCode)
                {
                    await TypedResults.Problem(statusCode: 502, title: "UIS did not give the recording", detail: $"HTTP {(int)upstream.StatusCode}").ExecuteAsync(context);
                    return;
                }
                context.Response.StatusCode = (int)upstream.StatusCode;
                var content = upstream.Content.Headers;
                context.Response.ContentType = content.ContentType?.ToString() ?? "application/octet-stream";
                if (content.ContentLength is { } length) context.Response.ContentLength = length;
                if (content.ContentRange is { } range) context.Response.Headers[HeaderNames.ContentRange] = range.ToString();
                context.Response.Headers[HeaderNames.AcceptRanges] = "bytes";
                await using var body = await upstream.Content.ReadAsStreamAsync(context.RequestAborted);
                await body.CopyToAsync(context.Response.Body, context.RequestAborted);
            }
        }
    }
}
