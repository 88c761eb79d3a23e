using System.Diagnostics;
using System.Globalization;

namespace LoadHarness;

/// <summary>A UIS call: <c>call_start</c> then <c>call_end</c>, each a unique notification.</summary>
public sealed class SessionSource
{
    private long _next = 6_000_000_000;

    public long Next() => Interlocked.Increment(ref _next);

    public static string Notification(long session, bool start) => start
        ? $"event=call_start&direction=%22in%22&line_number=74993720692&client_number=%2279{session % 1_000_000_000:D9}%22&call_hash={session}"
        : $"event=call_end&line_number=74993720692&client_number=%2279{session % 1_000_000_000:D9}%22&extension={{{{employee_phone_number}}}}" +
          $"&call_hash={session}&direction=%22in%22&talk_time_duration={session % 90}&record_links=null";
}

/// <param name="SentLateMs">Open loop only: how long after its due moment each request was handed to the HTTP client (the harness's own lateness), sorted.</param>
/// <param name="FromSendMs">Open loop only: each answer's latency counted from that hand-over instead of the due moment, sorted.</param>
public sealed record LoadResult(string Name, int Ok, int Failed, TimeSpan Elapsed, double[] LatenciesMs, double[]? SentLateMs = null, double[]? FromSendMs = null)
{
    public double Throughput => Ok / Elapsed.TotalSeconds;

    public double Percentile(double p) => Percentile(LatenciesMs, p);

    /// <summary>The nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0) return double.NaN;
        var index = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }

    public string Describe(string name, string unit = "notifications") => string.Create(CultureInfo.InvariantCulture,
        $"{name}: {Throughput:F0} {unit}/s ({Ok} ok, {Failed} failed in {Elapsed.TotalSeconds:F1} s), " +
        $"p50 {Percentile(50):F1} ms, p99 {Percentile(99):F1} ms, p99.9 {Percentile(99.9):F1} ms, max {LatenciesMs.LastOrDefault():F1} ms") + DescribeSend();

    private string DescribeSend() => SentLateMs is null || FromSendMs is null ? "" : string.Create(CultureInfo.InvariantCulture,
        $"; sent late p50 {Percentile(SentLateMs, 50):F2} ms, p99 {Percentile(SentLateMs, 99):F2} ms; " +
        $"from the send p50 {Percentile(FromSendMs, 50):F1} ms, p99 {Percentile(FromSendMs, 99):F1} ms, p99.9 {Percentile(FromSendMs, 99.9):F1} ms");
}

public sealed class Load(HttpClient http, string hook, SessionSource sessions)
{
    /// <summary>Closed loop: each worker sends a call's start, then its end, as fast as answers come.</summary>
    public async Task<LoadResult> FlatOutAsync(int concurrency, TimeSpan duration)
    {
        var latencies = new List<double>[concurrency];
        var failed = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var mine = latencies[worker] = new List<double>(100_000);
            while (clock.Elapsed < duration)
            {
                var session = sessions.Next();
                foreach (var start in new[] { true, false })
                {
                    var began = Stopwatch.GetTimestamp();
                    if (await SendAsync(session, start)) mine.Add(Stopwatch.GetElapsedTime(began).TotalMilliseconds);
                    else Interlocked.Increment(ref failed);
                }
            }
        }));
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new LoadResult("flat", all.Length, failed, clock.Elapsed, all);
    }

    /// <summary>Open loop (<see cref="OpenLoop"/>) of calls: starts and ends alternate; each end belongs to a call started about a second earlier.</summary>
    public Task<LoadResult> FixedRateAsync(int perSecond, TimeSpan duration)
    {
        // As on a real line (an end racing its own start is the duplicate case, tested elsewhere).
        var started = new Queue<long>();
        return OpenLoop.RunAsync(perSecond, duration, (i, due) =>
        {
            var start = i % 2 == 0;
            long s;
            if (start)
            {
                started.Enqueue(s = sessions.Next());
                StartScheduled?.Invoke(s, due);
            }
            else s = started.Count > perSecond / 2 ? started.Dequeue() : sessions.Next();
            return () => SendAsync(s, start);
        });
    }

    /// <summary>Told of each call start of an open-loop run: its session and the <see cref="Stopwatch"/> timestamp it was due.</summary>
    public Action<long, long>? StartScheduled { get; set; }

    /// <summary>When set, every request goes here instead (an answer without any database work): the floor of the measurement.</summary>
    public string? ProbeUrl { get; set; }

    private async Task<bool> SendAsync(long session, bool start)
    {
        try
        {
            using var response = await http.GetAsync(ProbeUrl ?? $"{hook}?{SessionSource.Notification(session, start)}");
            return ProbeUrl is null ? response.IsSuccessStatusCode : (int)response.StatusCode == 401;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}

public static class OpenLoop
{
    /// <summary>
    /// Requests leave on a fixed schedule whatever the answers do, and latency counts from the
    /// scheduled moment, so a stall shows in the percentiles (no coordinated omission).
    /// <paramref name="schedule"/> is told the request's number and due <see cref="Stopwatch"/> timestamp, and gives what sends it.
    /// A thread of its own sleeps until each due moment (to ~0.1 ms, without spinning on the shared
    /// cores) and hands the request to the HTTP client itself: a timer and a thread-pool hop made
    /// the harness 1–5 ms late, which counted against the service.
    /// </summary>
    public static Task<LoadResult> RunAsync(int perSecond, TimeSpan duration, Func<int, long, Func<Task<bool>>> schedule)
    {
        var result = new TaskCompletionSource<LoadResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var dispatcher = new Thread(() =>
        {
            try
            {
                result.SetResult(Dispatch(perSecond, duration, schedule).GetAwaiter().GetResult());
            }
            catch (Exception e)
            {
                result.SetException(e);
            }
        }) { IsBackground = true, Name = "open-loop dispatcher" };
        dispatcher.Start();
        return result.Task;
    }

    private static Task<LoadResult> Dispatch(int perSecond, TimeSpan duration, Func<int, long, Func<Task<bool>>> schedule)
    {
        OwnPriority.RaiseForThisThread();
        var total = (int)(perSecond * duration.TotalSeconds);
        var latencies = new double[total];
        var sentLate = new double[total];
        var fromSend = new double[total];
        var ok = new bool[total];
        var started = Stopwatch.GetTimestamp();
        var inFlight = new Task[total];
        for (var i = 0; i < total; i++)
        {
            var due = started + (long)((double)i / perSecond * Stopwatch.Frequency);
            SleepUntil(due);
            var send = schedule(i, due);
            inFlight[i] = SendAsync(i, due, send);
        }
        return Task.WhenAll(inFlight).ContinueWith(_ =>
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            // For diagnosis: every request's due moment and latencies, to see whether the slow ones come together.
            if (Environment.GetEnvironmentVariable("LOADHARNESS_LATENCY_DIR") is { Length: > 0 } dir)
                File.WriteAllLines(Path.Combine(dir, $"latencies-{DateTime.UtcNow:HHmmss}-{perSecond}.csv"),
                    latencies.Select((l, i) => FormattableString.Invariant($"{(double)i / perSecond * 1000:F1},{l:F3},{sentLate[i]:F3},{fromSend[i]:F3}")));
            double[] Good(double[] values) => values.Where((_, i) => ok[i]).Order().ToArray();
            return new LoadResult("rate", ok.Count(o => o), total - ok.Count(o => o), elapsed, Good(latencies), Good(sentLate), Good(fromSend));
        }, TaskScheduler.Default);

        // Runs on the dispatcher up to the request's first wait, so it is on the wire before the next one is due.
        async Task SendAsync(int index, long due, Func<Task<bool>> send)
        {
            var sent = Stopwatch.GetTimestamp();
            ok[index] = await send();
            var answered = Stopwatch.GetTimestamp();
            latencies[index] = Stopwatch.GetElapsedTime(due, answered).TotalMilliseconds;
            sentLate[index] = Stopwatch.GetElapsedTime(due, sent).TotalMilliseconds;
            fromSend[index] = Stopwatch.GetElapsedTime(sent, answered).TotalMilliseconds;
        }
    }

    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_nanosleep")]
    private static extern int ClockNanosleep(int clock, int flags, ref Timespec request, IntPtr remaining);

    /// <summary>Sleeps until a <see cref="Stopwatch"/> timestamp: on Linux its clock is CLOCK_MONOTONIC in nanoseconds.</summary>
    private static void SleepUntil(long timestamp)
    {
        const int clockMonotonic = 1, absolute = 1;
        if (!OperatingSystem.IsLinux() || Stopwatch.Frequency != 1_000_000_000)
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
            if (wait > TimeSpan.Zero) Thread.Sleep(wait);
            return;
        }
        var until = new Timespec { Seconds = timestamp / 1_000_000_000, Nanoseconds = timestamp % 1_000_000_000 };
        while (ClockNanosleep(clockMonotonic, absolute, ref until, IntPtr.Zero) == 4) { } // EINTR: sleep on
    }
}

/// <summary>
/// The load generator plays UIS, which does not share the service's cores: what can be done to keep its
/// own scheduling out of the figures is done (<see cref="Apply"/> at start-up), and every open-loop line
/// still says how late it sent.
/// </summary>
public static class OwnPriority
{
    /// <summary>The runtime reads it once, at the first socket: answers complete on the socket's event thread instead of a thread-pool hop.</summary>
    public const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static bool Plain { get; private set; }

    /// <summary>
    /// Before the first socket: the harness's own answers are handled where they arrive (its continuations only
    /// take a timestamp). <paramref name="plain"/>: neither this nor the dispatcher's priority (to compare).
    /// </summary>
    public static void Apply(bool plain)
    {
        Plain = plain;
        if (!plain) Environment.SetEnvironmentVariable(InlineCompletions, "1");
    }

    /// <summary>What the harness starts (the host, the bare app) runs as configured, not as the harness does.</summary>
    public static System.Diagnostics.ProcessStartInfo ForChild(System.Diagnostics.ProcessStartInfo info)
    {
        info.Environment.Remove(InlineCompletions);
        if (Environment.GetEnvironmentVariable("LOADHARNESS_CHILD_INLINE_COMPLETIONS") == "1") info.Environment[InlineCompletions] = "1";
        return info;
    }

    /// <summary>The open-loop dispatcher wakes before the processes under load (nice -10; needs root, else left as it is).</summary>
    public static void RaiseForThisThread()
    {
        if (Plain || !OperatingSystem.IsLinux()) return;
        const int processPriority = 0;
        SetPriority(processPriority, GetThreadId(), -10);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "setpriority")]
    private static extern int SetPriority(int which, int who, int priority);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetThreadId();
}
