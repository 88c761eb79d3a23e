using System.Text;
using System.Text.Json;

namespace UisSimulator;

/// <summary>Where the simulated account sends its notifications and routing requests: the CRM.</summary>
/// <param name="NotificationLink">The tenant's notification link (absolute, or relative to <paramref name="Http"/>'s base address).</param>
/// <param name="RoutingUrl">The routing URL of the virtual PBX scenario, when routing is configured.</param>
public sealed record CrmTarget(HttpClient Http, string NotificationLink, string? RoutingUrl = null);

/// <summary>How the simulated account misbehaves when it notifies.</summary>
public sealed record NotificationFaults(bool Duplicate = false, bool EndBeforeStart = false, bool DropStart = false, TimeSpan Delay = default);

/// <summary>
/// Plays calls the way UIS reports them: the three notification templates of the setup guide
/// (uis-protocol.md §1), rendered as UIS renders templates (§2) and sent as GET to the notification link.
/// </summary>
public static class Playback
{
    // What the account owner pasted into UIS: the setup guide's templates.
    public const string IncomingStart = BuildingBlocks.Uis.SetupGuide.IncomingCallTemplate;
    public const string OutgoingStart = BuildingBlocks.Uis.SetupGuide.OutgoingCallTemplate;
    public const string End = BuildingBlocks.Uis.SetupGuide.CallEndTemplate;

    /// <summary>
    /// Each <c>{{name}}</c> becomes the value as a JSON literal (strings quoted, numbers bare, null,
    /// lists as arrays), URL-encoded; a variable the event does not provide stays as the literal text.
    /// The template's line breaks are kept (encoded).
    /// </summary>
    public static string Render(string template, IReadOnlyDictionary<string, object?> variables)
    {
        var text = new StringBuilder();
        var rest = template.AsSpan();
        while (rest.IndexOf("{{") is var open and >= 0 && rest[open..].IndexOf("}}") is var length and >= 0)
        {
            text.Append(Encode(rest[..open].ToString()));
            var name = rest.Slice(open + 2, length - 2).ToString();
            text.Append(variables.TryGetValue(name, out var value)
                ? Uri.EscapeDataString(JsonSerializer.Serialize(value))
                : Uri.EscapeDataString("{{" + name + "}}"));
            rest = rest[(open + length + 2)..];
        }
        return text.Append(Encode(rest.ToString())).ToString();
    }

    private static string Encode(string literal) => literal.Replace("\r", "").Replace("\n", "%0A");

    /// <summary>Sends what UIS would send for a call from its start to its end, with the faults asked for.</summary>
    public static async Task PlayAsync(CrmTarget crm, SimulatorState state, string startTemplate, Dictionary<string, object?> variables, string? recordLink)
    {
        var (faults, talkSeconds) = (state.Faults, state.TalkSeconds);
        // An incoming call's start has no employee yet: UIS leaves the variable as it is written.
        var start = Render(startTemplate, startTemplate == IncomingStart ? variables.Where(v => v.Key != "employee_phone_number").ToDictionary() : variables);
        var ended = new Dictionary<string, object?>(variables)
        {
            ["talk_time_duration"] = talkSeconds,
            ["record_file_links"] = recordLink is null ? null : new[] { recordLink },
        };
        var end = Render(End, ended);
        List<string> sequence = faults.DropStart ? [end] : faults.EndBeforeStart ? [end, start] : [start, end];
        foreach (var query in sequence)
        {
            if (faults.Delay > TimeSpan.Zero) await Task.Delay(faults.Delay);
            if (query == end && sequence.Count > 1 && state.RingTime > TimeSpan.Zero) await Task.Delay(state.RingTime);
            for (var copy = 0; copy < (faults.Duplicate ? 2 : 1); copy++)
            {
                using var answer = await SendAsync(crm, crm.NotificationLink, query);
                state.Sent.Enqueue((query, (int)answer.StatusCode));
            }
        }
    }

    public static async Task<HttpResponseMessage> SendAsync(CrmTarget crm, string url, string query) =>
        await crm.Http.GetAsync(url + (url.Contains('?') ? "&" : "?") + query);

    /// <summary>A short valid audio file (silence, 8 kHz, 16-bit mono WAV; one second by default): the recordings the simulator serves.</summary>
    public static byte[] Recording(int seconds = 1)
    {
        const int rate = 8000;
        var samples = rate * seconds;
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write("RIFF"u8);
        writer.Write(36 + samples * 2);
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)1);
        writer.Write((short)1);
        writer.Write(rate);
        writer.Write(rate * 2);
        writer.Write((short)2);
        writer.Write((short)16);
        writer.Write("data"u8);
        writer.Write(samples * 2);
        writer.Write(new byte[samples * 2]);
        writer.Flush();
        return stream.ToArray();
    }
}
