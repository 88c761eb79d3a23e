using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace BuildingBlocks.Uis;

/// <summary>
/// The parameters of a UIS request, from the query string, a form body or a JSON body. Names are
/// trimmed of the white space and line breaks that the multi-line templates leave in them, and a
/// pasted link that already had a query string ("…?a=1?event=…") still splits into its parameters.
/// </summary>
public static class UisRequestFields
{
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>The parameters, and the raw query and body they came from (the body only for POST and PUT).</summary>
    public sealed record Received(IReadOnlyDictionary<string, string?> Fields, string Query, string? Body);

    public static async Task<Received> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var query = request.QueryString.Value ?? "";
        var fields = Parse(query);
        if (!HttpMethods.IsPost(request.Method) && !HttpMethods.IsPut(request.Method)) return new(fields, query, null);

        var body = await ReadBodyAsync(request, ct);
        var fromBody = body.TrimStart().StartsWith('{') ? ParseJson(body) : Parse(body);
        foreach (var (name, value) in fromBody) fields[name] = value;
        return new(fields, query, body);
    }

    /// <summary>UIS's call session: <c>call_hash</c> in the setup guide's notifications, <c>call_session_id</c> in routing requests.</summary>
    public static long? CallSessionId(IReadOnlyDictionary<string, string?> fields) =>
        UisValue.Long(fields.GetValueOrDefault("call_hash")) ?? UisValue.Long(fields.GetValueOrDefault("call_session_id"));

    public static Dictionary<string, string?> Parse(string? encoded)
    {
        var fields = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(encoded)) return fields;
        foreach (var pair in encoded.Split(['&', '?'], StringSplitOptions.RemoveEmptyEntries))
        {
            var separator = pair.IndexOf('=');
            var name = Decode(separator < 0 ? pair : pair[..separator]).Trim();
            if (name.Length == 0) continue;
            fields[name] = separator < 0 ? null : Decode(pair[(separator + 1)..]);
        }
        return fields;
    }

    private static Dictionary<string, string?> ParseJson(string body)
    {
        var fields = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object) return fields;
            foreach (var property in json.RootElement.EnumerateObject())
            {
                fields[property.Name.Trim()] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Null => null,
                    _ => property.Value.GetRawText(),
                };
            }
        }
        catch (JsonException)
        {
            // Not JSON after all: the caller sees no fields and answers with what is missing.
        }
        return fields;
    }

    private static string Decode(string value)
    {
        try { return Uri.UnescapeDataString(value); }
        catch (UriFormatException) { return value; }
    }

    private static async Task<string> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxBodyBytes);
        try
        {
            var total = 0;
            int read;
            while (total < MaxBodyBytes && (read = await request.Body.ReadAsync(buffer.AsMemory(total, MaxBodyBytes - total), ct)) > 0) total += read;
            return Encoding.UTF8.GetString(buffer, 0, total);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
