using System.Net.Http.Json;
using System.Text.Json;

namespace BuildingBlocks.Uis.Api;

/// <summary>A UIS error (uis-protocol.md §4): branch on <see cref="Mnemonic"/>, not on the code or the HTTP status.</summary>
/// <param name="MinuteReset">For <c>limit_exceeded</c>: seconds until the per-minute limit resets, when UIS said.</param>
public sealed record UisError(int Code, string Message, string Mnemonic, string? Field, int? MinuteReset);

/// <summary>UIS's answer: the <c>result</c>, or the <c>error</c>.</summary>
public sealed record UisReply(JsonElement Result, UisError? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>
/// The JSON-RPC 2.0 envelope of UIS's Call API and Data API: one method per request, the API key in
/// <c>params.access_token</c>. The error body is read whatever the HTTP status is (UIS does not document it).
/// Transport failures (no connection, timeout) are left to the caller: only it knows whether a retry is safe.
/// </summary>
public static class UisJsonRpc
{
    public const string UnreadableAnswer = "unreadable_answer";

    public static async Task<UisReply> CallAsync(HttpClient http, Uri endpoint, string method, IReadOnlyDictionary<string, object?> parameters,
        CancellationToken ct)
    {
        var request = new Dictionary<string, object?> { ["jsonrpc"] = "2.0", ["id"] = Guid.NewGuid().ToString("N"), ["method"] = method, ["params"] = parameters };
        try
        {
            using var response = await http.PostAsJsonAsync(endpoint, request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            var reply = Read(body, (int)response.StatusCode);
            Telemetry.ServiceMetrics.UisApiCalled(method, reply.Error?.Mnemonic ?? "ok");
            return reply;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Telemetry.ServiceMetrics.UisApiCalled(method, "no-answer");
            throw;
        }
    }

    public static UisReply Read(string body, int httpStatus)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return Unreadable(httpStatus);
        }
        if (root.ValueKind != JsonValueKind.Object) return Unreadable(httpStatus);
        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            var data = error.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
            return new UisReply(default, new UisError(
                error.TryGetProperty("code", out var code) && code.TryGetInt32(out var c) ? c : 0,
                error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String ? message.GetString()! : "",
                data.ValueKind == JsonValueKind.Object && data.TryGetProperty("mnemonic", out var mnemonic) && mnemonic.ValueKind == JsonValueKind.String
                    ? mnemonic.GetString()!
                    : "unknown_error",
                data.ValueKind == JsonValueKind.Object && data.TryGetProperty("field", out var field) && field.ValueKind == JsonValueKind.String ? field.GetString() : null,
                MinuteReset(data) ?? MinuteReset(root)));
        }
        return root.TryGetProperty("result", out var result) ? new UisReply(result, null) : Unreadable(httpStatus);
    }

    /// <summary><c>metadata.limits.minute_reset</c>, wherever UIS puts the metadata (the documentation shows it on results only).</summary>
    private static int? MinuteReset(JsonElement holder) =>
        holder.ValueKind == JsonValueKind.Object && holder.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object &&
        metadata.TryGetProperty("limits", out var limits) && limits.ValueKind == JsonValueKind.Object &&
        limits.TryGetProperty("minute_reset", out var reset) && reset.TryGetInt32(out var seconds)
            ? seconds
            : null;

    private static UisReply Unreadable(int httpStatus) =>
        new(default, new UisError(0, $"UIS answered HTTP {httpStatus} without a JSON-RPC reply", UnreadableAnswer, null, null));
}
