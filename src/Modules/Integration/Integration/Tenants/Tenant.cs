using System.Security.Cryptography;
using System.Text;

namespace Integration.Tenants;

/// <summary>
/// One CRM account (<c>&lt;subdomain&gt;.envycrm.com</c>). Its id is the subdomain: that is the
/// Marten tenant id of all its data and the <c>tenant</c> claim of its employees' tokens.
/// </summary>
public sealed record Tenant(
    string Id,
    string Name,
    string TimeZone,
    string NotificationSecret,
    string NotificationSecretHash,
    DateTimeOffset CreatedAt)
{
    public string NotificationLink(string publicBaseUrl) => $"{publicBaseUrl.TrimEnd('/')}/hook/uis/{NotificationSecret}";

    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>Secrets are looked up by hash, so the lookup's timing tells nothing about the secret.</summary>
    public static string HashOf(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
