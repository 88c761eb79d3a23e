using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text.Json;

namespace LoadHarness;

/// <summary>
/// An employee's open <c>/api/events</c> stream during a load run: for each call start the load
/// sends, the time from the moment it was due to its <c>incoming-call</c> event on this stream.
/// </summary>
public sealed class PopupWatch : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Guid, long> _due = new();
    private readonly ConcurrentBag<double> _latenciesMs = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpResponseMessage _response;
    private readonly Task _reading;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PopupWatch(HttpResponseMessage response)
    {
        _response = response;
        _reading = Task.Run(ReadAsync);
    }

    public static async Task<PopupWatch> OpenAsync(HttpClient http, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/events") { Headers = { Authorization = new("Bearer", token) } };
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var watch = new PopupWatch(response);
        await watch._ready.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return watch;
    }

    /// <summary>The call id the service derives from a UIS session (ADR 2).</summary>
    public void Expect(long session, long dueTimestamp) =>
        _due[Guid.Parse($"00000000-0000-4000-8000-{session:x12}")] = dueTimestamp;

    public int Missing => _due.Count;

    private async Task ReadAsync()
    {
        try
        {
            await using var body = await _response.Content.ReadAsStreamAsync(_stop.Token);
            await foreach (var item in SseParser.Create(body).EnumerateAsync(_stop.Token))
            {
                var now = Stopwatch.GetTimestamp();
                if (item.EventType == "ready") _ready.TrySetResult();
                if (item.EventType != "incoming-call") continue;
                using var data = JsonDocument.Parse(item.Data);
                if (_due.TryRemove(data.RootElement.GetProperty("callId").GetGuid(), out var due))
                    _latenciesMs.Add(Stopwatch.GetElapsedTime(due, now).TotalMilliseconds);
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
    }

    public string Describe(string name)
    {
        var sorted = _latenciesMs.Order().ToArray();
        double P(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
        return string.Create(CultureInfo.InvariantCulture,
            $"{name}: {sorted.Length} incoming-call events, {Missing} missing; notification due → event on the stream: " +
            $"p50 {P(50):F1} ms, p99 {P(99):F1} ms, p99.9 {P(99.9):F1} ms, max {sorted.LastOrDefault():F1} ms");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _response.Dispose();
        await _reading;
    }
}
