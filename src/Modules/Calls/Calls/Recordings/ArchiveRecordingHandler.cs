using Calls.CallHistory;
using Marten;
using Microsoft.Extensions.Configuration;
using Wolverine;

namespace Calls.Recordings;

/// <summary>A download that may pass on a later attempt (network error, timeout, 5xx): Wolverine schedules it again, durably.</summary>
public sealed class RecordingDownloadException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Archives one recording: streams it from UIS into storage and records the outcome on the call's
/// stream — archived, expired, rejected, or failed once the retries have run out.
/// </summary>
public static class ArchiveRecordingHandler
{
    public static TimeSpan[] RetryDelays(IConfiguration configuration) =>
        (configuration.GetSection("Recordings:RetryDelaysSeconds").Get<double[]>() is { Length: > 0 } seconds ? seconds : [5, 30, 120, 600])
        .Select(TimeSpan.FromSeconds).ToArray();

    public static async Task Handle(ArchiveRecording message, Envelope envelope, IDocumentStore documents, RecordingFetcher fetcher,
        IRecordingStore store, IConfiguration configuration, TimeProvider clock, CancellationToken ct)
    {
        var tenant = envelope.TenantId!;
        CallHistoryEntry? entry;
        await using (var query = documents.QuerySession(tenant)) entry = await query.LoadAsync<CallHistoryEntry>(message.CallId, ct);
        if (entry?.Recordings.FirstOrDefault(r => r.N == message.N) is { Status: not RecordingStatus.Pending }) return;

        object outcome;
        try
        {
            outcome = await DownloadAsync(message, fetcher, store, clock, ct);
        }
        catch (RecordingTooLargeException)
        {
            outcome = new CallRecordingRejected(message.CallId, message.N, "too-large", clock.GetUtcNow());
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException or RecordingDownloadException && !ct.IsCancellationRequested)
        {
            if (envelope.Attempts <= RetryDelays(configuration).Length) throw e as RecordingDownloadException ?? new RecordingDownloadException(e.Message, e);
            outcome = new CallRecordingFailed(message.CallId, message.N, e.Message, clock.GetUtcNow());
        }
        // The recordings of one call are archived side by side: their outcomes race for the stream.
        await CallStreamWrites.AppendAsync(documents, tenant, message.CallId, outcome);
        BuildingBlocks.Telemetry.ServiceMetrics.RecordingArchiveEnded(outcome switch
        {
            CallRecordingArchived => RecordingStatus.Archived,
            CallRecordingExpired => RecordingStatus.Expired,
            CallRecordingRejected => RecordingStatus.Rejected,
            _ => RecordingStatus.Failed,
        });
    }

    private static async Task<int?> DurationAsync(IRecordingStore store, string sha256, long size, CancellationToken ct)
    {
        await using var file = store.OpenRead(sha256);
        if (file is null) return null;
        var head = new byte[(int)Math.Min(size, AudioDuration.HeaderBytes)];
        await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        return AudioDuration.Seconds(head, size);
    }

    private static async Task<object> DownloadAsync(ArchiveRecording message, RecordingFetcher fetcher, IRecordingStore store, TimeProvider clock,
        CancellationToken stopping)
    {
        // A body that trickles in is cut off too: the limit covers the whole download.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(fetcher.DownloadTimeout);
        var ct = deadline.Token;
        var (response, refused) = await fetcher.GetAsync(message.Link, range: null, ct);
        if (refused is not null) return new CallRecordingRejected(message.CallId, message.N, refused, clock.GetUtcNow());
        using (response)
        {
            var status = (int)response!.StatusCode;
            if (RecordingFetcher.IsExpired(response.StatusCode)) return new CallRecordingExpired(message.CallId, message.N, status, clock.GetUtcNow());
            if (status is >= 500 or 408 or 429) throw new RecordingDownloadException($"UIS answered HTTP {status}");
            if (!response.IsSuccessStatusCode) return new CallRecordingFailed(message.CallId, message.N, $"UIS answered HTTP {status}", clock.GetUtcNow());
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            var (sha256, size) = await store.SaveAsync(body, fetcher.MaxBytes, ct);
            return new CallRecordingArchived(message.CallId, message.N, size, response.Content.Headers.ContentType?.MediaType ?? "application/octet-stream",
                sha256, clock.GetUtcNow(), await DurationAsync(store, sha256, size, stopping));
        }
    }
}
