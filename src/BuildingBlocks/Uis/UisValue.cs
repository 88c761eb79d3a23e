using System.Globalization;
using System.Text.Json;

namespace BuildingBlocks.Uis;

/// <summary>
/// Decodes values the way UIS renders template variables: JSON literals (<c>"in"</c>, <c>""in""</c>,
/// <c>null</c>, arrays), and the literal <c>{{name}}</c> of a variable the event did not provide.
/// </summary>
public static class UisValue
{
    /// <summary>The text of a value, or null when UIS sent nothing usable.</summary>
    public static string? Text(string? raw)
    {
        if (raw is null) return null;
        var value = raw.Trim();
        while (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            value = value[1..^1].Trim();
        if (value.Contains('\\')) value = Unescape(value);
        return value.Length == 0 || IsNull(value) || IsUnrendered(value) ? null : value;
    }

    public static long? Long(string? raw) =>
        long.TryParse(Text(raw), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>Whole seconds; UIS may render them as a JSON number with a fraction.</summary>
    public static int? Seconds(string? raw) =>
        decimal.TryParse(Text(raw), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value <= int.MaxValue
            ? (int)value
            : null;

    /// <summary>A JSON array, a single value, or a list split on commas and white space.</summary>
    public static IReadOnlyList<string> List(string? raw)
    {
        var value = raw?.Trim();
        if (string.IsNullOrEmpty(value) || IsNull(value) || IsUnrendered(value)) return [];
        if (value.StartsWith('['))
        {
            try
            {
                using var json = JsonDocument.Parse(value);
                return json.RootElement.EnumerateArray()
                    .Select(item => item.ValueKind == JsonValueKind.String ? Text(item.GetString()) : Text(item.GetRawText()))
                    .OfType<string>().ToList();
            }
            catch (JsonException)
            {
                value = value.Trim('[', ']');
            }
        }
        return value.Split([',', ' ', '\n', '\r', '\t', ';'], StringSplitOptions.RemoveEmptyEntries)
            .Select(Text).OfType<string>().ToList();
    }

    private static bool IsNull(string value) => value.Equals("null", StringComparison.OrdinalIgnoreCase);

    private static bool IsUnrendered(string value) => value.StartsWith("{{") && value.EndsWith("}}");

    private static string Unescape(string value)
    {
        try { return JsonSerializer.Deserialize<string>('"' + value + '"') ?? value; }
        catch (JsonException) { return value; }
    }
}
