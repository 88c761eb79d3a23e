namespace BuildingBlocks.Phones;

/// <summary>
/// A number an employee takes calls on: a full phone number or a SIP line. UIS short extension
/// numbers are not usable: UIS reports them inconsistently and cannot dial them from the Call API.
/// </summary>
public static class EmployeeNumber
{
    public const int LongestExtension = 5;

    public static bool IsExtension(string? text)
    {
        var value = text?.Trim() ?? "";
        return value.Length is > 0 and <= LongestExtension && value.All(char.IsDigit);
    }

    /// <summary>The matching key of a number: E.164 for phones, <c>sip:login@domain</c> for SIP lines, null otherwise.</summary>
    public static string? Normalize(string? text, string region = Phone.DefaultRegion)
    {
        if (string.IsNullOrWhiteSpace(text) || IsExtension(text)) return null;
        var value = text.Trim();
        if (value.StartsWith("sip:", StringComparison.OrdinalIgnoreCase)) value = value[4..];
        if (value.Contains('@')) return "sip:" + value.ToLowerInvariant();
        return Phone.ToE164(value, region);
    }
}
