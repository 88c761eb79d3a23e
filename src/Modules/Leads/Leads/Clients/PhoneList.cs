using BuildingBlocks.Phones;

namespace Leads.Clients;

public static class PhoneList
{
    /// <summary>Phones as E.164, duplicates removed, and the entries that are not phone numbers.</summary>
    public static (List<string> Phones, string[] Errors) Normalize(IEnumerable<string>? raw)
    {
        var phones = new List<string>();
        var errors = new List<string>();
        foreach (var text in raw ?? [])
        {
            if (Phone.ToE164(text) is { } e164) { if (!phones.Contains(e164)) phones.Add(e164); }
            else errors.Add($"\"{text}\" is not a phone number.");
        }
        return (phones, errors.ToArray());
    }
}
