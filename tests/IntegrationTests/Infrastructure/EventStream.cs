using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Threading.Channels;
using Alba;

namespace IntegrationTests.Infrastructure;

/// <summary>An employee's open <c>/api/events</c> stream, as a browser's EventSource would read it.</summary>
public sealed class EventStream : IAsyncDisposable
{
    public sealed record Received(string Type, JsonElement Data);

    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<Received> _incoming = Channel.CreateUnbounded<Received>();
    private readonly List<Received> _all = [];
    private readonly Task _reading;

    private EventStream(HttpResponseMessage response)
    {
        _response = response;
        _reading = Task.Run(ReadAsync);
    }

    /// <summary>Every event read so far, heartbeats included.</summary>
    public IReadOnlyList<Received> All { get { lock (_all) return _all.ToList(); } }

    public HttpResponseMessage Response => _response;

    /// <summary>Opens the stream and waits for its <c>ready</c> event: from then on nothing addressed to the employee is missed.</summary>
    public static async Task<EventStream> OpenAsync(IAlbaHost host, string token, bool tokenInQuery = false)
    {
        var client = host.Server.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, tokenInQuery ? $"/api/events?access_token={token}" : "/api/events");
        if (!tokenInQuery) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var stream = new EventStream(response);
        await stream.NextAsync("ready");
        return stream;
    }

    private async Task ReadAsync()
    {
        try
        {
            await using var body = await _response.Content.ReadAsStreamAsync(_stop.Token);
            await foreach (var item in SseParser.Create(body).EnumerateAsync(_stop.Token))
            {
                var received = new Received(item.EventType, JsonDocument.Parse(item.Data).RootElement.Clone());
                lock (_all) _all.Add(received);
                await _incoming.Writer.WriteAsync(received);
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
        finally
        {
            _incoming.Writer.TryComplete();
        }
    }

    /// <summary>The next event of this type (others are skipped), or a timeout.</summary>
    public async Task<Received> NextAsync(string type, Func<JsonElement, bool>? where = null, TimeSpan? timeout = null)
    {
        using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        try
        {
            while (true)
            {
                var next = await _incoming.Reader.ReadAsync(wait.Token);
                if (next.Type == type && (where is null || where(next.Data))) return next;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No \"{type}\" event arrived; got: {string.Join(", ", All.Select(e => e.Type))}");
        }
    }

    /// <summary>True once the server has ended the stream.</summary>
    public async Task<bool> EndsWithinAsync(TimeSpan timeout) => await Task.WhenAny(_reading, Task.Delay(timeout)) == _reading;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _response.Dispose();
        await _reading;
    }
}
