using System.Collections.Concurrent;

namespace UisSimulator;

public sealed record SimulatedEmployee(long Id, string FullName, string[] PhoneNumbers, string? Extension = null);

/// <summary>A call the Call API was asked to start, with the parameters exactly as received.</summary>
public sealed record StartedCall(long CallSessionId, string Method, IReadOnlyDictionary<string, System.Text.Json.JsonElement> Params, DateTimeOffset At);

/// <summary>The simulated UIS account, and the faults to play. Thread-safe; tests change it while the simulator runs.</summary>
public sealed class SimulatorState
{
    public ConcurrentDictionary<string, string> Tokens { get; } = new() { ["sim-token"] = "active" };
    public ConcurrentDictionary<long, SimulatedEmployee> Employees { get; } = new();
    public ConcurrentDictionary<string, string> VirtualNumbers { get; } = new() { ["74993720692"] = "active" };
    public ConcurrentDictionary<string, bool> Blacklist { get; } = new();
    /// <summary>Whether the caller's address is on the account's API whitelist.</summary>
    public bool IpWhitelisted { get; set; } = true;
    /// <summary>Call API requests allowed per minute.</summary>
    public int CallsPerMinute { get; set; } = 1000;
    /// <summary>Errors to answer the next requests with (mnemonics), before any other check.</summary>
    public ConcurrentQueue<string> NextErrors { get; } = new();
    /// <summary>How long each Call API answer is held back.</summary>
    public TimeSpan AnswerDelay { get; set; }
    public ConcurrentQueue<StartedCall> StartedCalls { get; } = new();
    /// <summary>Runs after a call is started and before the Call API answers (e.g. UIS's first notification overtaking the answer).</summary>
    public Func<StartedCall, Task>? BeforeAnswer { get; set; }
    /// <summary>Where calls are reported; null: the simulator places calls but reports none.</summary>
    public CrmTarget? Crm { get; set; }
    public NotificationFaults Faults { get; set; } = new();
    /// <summary>How long a played call rings before its end is reported (the screen pop is up meanwhile).</summary>
    public TimeSpan RingTime { get; set; }
    /// <summary>How long the played calls talk (0: nobody answered).</summary>
    public int TalkSeconds { get; set; } = 42;
    /// <summary>Every notification and routing request sent to the CRM, with the CRM's answer.</summary>
    public ConcurrentQueue<(string Query, int Status)> Sent { get; } = new();
    /// <summary>Every request for a recording (path and query), so a test can show what was never fetched.</summary>
    public ConcurrentQueue<string> MediaRequests { get; } = new();
    /// <summary>Recordings (by file name) that answer 404, as an expired UIS link does.</summary>
    public ConcurrentDictionary<string, bool> ExpiredMedia { get; } = new();
    /// <summary>Recordings (by file name) answered by the given function instead: redirects, oversized bodies, 5xx.</summary>
    public ConcurrentDictionary<string, Func<Microsoft.AspNetCore.Http.HttpContext, Microsoft.AspNetCore.Http.IResult>> MediaFaults { get; } = new();
    /// <summary>Where the recordings are served, <c>https://localhost:port/media/</c> (set when the simulator starts).</summary>
    public Uri? MediaBase { get; set; }
    private long _nextSession = 4_821_870_000;
    private readonly ConcurrentQueue<DateTimeOffset> _recent = new();

    public long NextSessionId() => Interlocked.Increment(ref _nextSession);

    /// <summary>Counts a request against the per-minute limit; the seconds until the minute resets when it is exceeded.</summary>
    public int? OverLimit(DateTimeOffset now)
    {
        while (_recent.TryPeek(out var oldest) && now - oldest > TimeSpan.FromMinutes(1)) _recent.TryDequeue(out _);
        if (_recent.Count >= CallsPerMinute)
            return _recent.TryPeek(out var first) ? Math.Max(1, (int)Math.Ceiling((first.AddMinutes(1) - now).TotalSeconds)) : 60;
        _recent.Enqueue(now);
        return null;
    }
}
