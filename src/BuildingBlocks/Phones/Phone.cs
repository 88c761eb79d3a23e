using PhoneNumbers;

namespace BuildingBlocks.Phones;

/// <summary>Phone numbers as people type them and as UIS sends them, normalised with libphonenumber.</summary>
public static class Phone
{
    public const string DefaultRegion = "RU";
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>E.164 with '+' (<c>+79161234567</c>), or null when the text is not a phone number.</summary>
    public static string? ToE164(string? text, string region = DefaultRegion)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var trimmed = text.Trim();
        if (!trimmed.Any(char.IsDigit) || trimmed.Any(char.IsLetter) || trimmed.Contains('@')) return null;

        var parsed = TryParse(trimmed, region);
        if (parsed is not null && Util.IsValidNumber(parsed)) return Format(parsed);

        // UIS sends digits with the country code and no '+': 380501234567 is Ukrainian, not Russian.
        var digits = new string(trimmed.Where(char.IsDigit).ToArray());
        if (!trimmed.StartsWith('+') && digits.Length >= 11)
        {
            var international = TryParse("+" + digits, region);
            if (international is not null && Util.IsValidNumber(international)) return Format(international);
        }
        return parsed is not null && Util.IsPossibleNumber(parsed) && digits.Length >= 7 ? Format(parsed) : null;
    }

    /// <summary>A list as E.164 in the order given, duplicates removed, and the entries that are not phone numbers.</summary>
    public static (List<string> Phones, List<string> NotPhones) ToE164All(IEnumerable<string>? texts, string region = DefaultRegion)
    {
        var phones = new List<string>();
        var notPhones = new List<string>();
        foreach (var text in texts ?? [])
        {
            if (ToE164(text, region) is not { } e164) notPhones.Add(text);
            else if (!phones.Contains(e164)) phones.Add(e164);
        }
        return (phones, notPhones);
    }

    /// <summary>The digits UIS expects in its APIs: E.164 without '+'.</summary>
    public static string? ToUisDigits(string? text, string region = DefaultRegion) => ToE164(text, region)?.TrimStart('+');

    private static PhoneNumber? TryParse(string text, string region)
    {
        try { return Util.Parse(text, region); }
        catch (NumberParseException) { return null; }
    }

    private static string Format(PhoneNumber number) => Util.Format(number, PhoneNumberFormat.E164);
}
