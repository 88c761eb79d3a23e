using System.Security.Cryptography;

namespace Host.Security;

/// <summary>
/// The HS256 key of the CRM's bearer tokens: <c>Auth:SigningKey</c> (base64 or plain text, at least
/// 32 bytes). In Development without one, a key is generated once and kept under <c>.data/</c>.
/// </summary>
public static class SigningKey
{
    public const int MinimumBytes = 32;

    public static byte[] Resolve(IConfiguration configuration, IHostEnvironment environment)
    {
        if (configuration["Auth:SigningKey"] is { Length: > 0 } configured)
        {
            var key = TryBase64(configured) ?? System.Text.Encoding.UTF8.GetBytes(configured);
            return key.Length >= MinimumBytes ? key
                : throw new InvalidOperationException($"Auth:SigningKey must be at least {MinimumBytes} bytes.");
        }
        if (!environment.IsDevelopment())
            throw new InvalidOperationException(
                "Auth:SigningKey is not set. Set Auth__SigningKey to the base64 HS256 key the CRM signs its tokens with.");

        var file = Path.Combine(HostPaths.DataDirectory(environment), "signing-key");
        if (!File.Exists(file))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return Convert.FromBase64String(File.ReadAllText(file).Trim());
    }

    private static byte[]? TryBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) ? buffer[..written] : null;
    }
}

public static class HostPaths
{
    public static string DataDirectory(IHostEnvironment environment) => Path.Combine(environment.ContentRootPath, ".data");
}
