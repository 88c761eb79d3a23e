using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Calls.Recordings;

/// <summary>
/// Fetches recording links that came from webhook input, so it trusts none of them (no SSRF): only
/// https, only the configured UIS media hosts, redirects followed by hand and checked the same way,
/// a size cap and a time limit.
/// </summary>
public sealed class RecordingFetcher(IHttpClientFactory clients, IConfiguration configuration)
{
    public const string ClientName = "uis-media";
    public const int MaxRedirects = 3;

    private readonly HashSet<string> _hosts = new(configuration.GetSection("Recordings:AllowedHosts").Get<string[]>() is { Length: > 0 } hosts
        ? hosts
        : ["app.uiscom.ru", "media.uiscom.ru"], StringComparer.OrdinalIgnoreCase);

    public long MaxBytes { get; } = configuration.GetValue("Recordings:MaxBytes", 200L * 1024 * 1024);

    /// <summary>The whole download, body included (the HTTP client's own timeout ends when the headers have come).</summary>
    public TimeSpan DownloadTimeout { get; } = TimeSpan.FromSeconds(configuration.GetValue("Recordings:DownloadTimeoutSeconds", 300.0));

    public static void Register(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<RecordingFetcher>();
        // A media host behind a private certificate authority: trust that one certificate (PEM), for it alone.
        var trusted = configuration.GetValue<string>("Recordings:TrustedCertificatePath") is { Length: > 0 } path
            ? System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(path)
            : null;
        services.AddHttpClient(ClientName, client => client.Timeout = TimeSpan.FromSeconds(configuration.GetValue("Recordings:DownloadTimeoutSeconds", 300.0)))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                SslOptions =
                {
                    RemoteCertificateValidationCallback = (_, certificate, _, errors) => errors == System.Net.Security.SslPolicyErrors.None ||
                        (trusted is not null && errors == System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors &&
                         certificate?.GetCertHashString() == trusted.GetCertHashString()),
                },
            });
    }

    /// <summary>Why the link must not be fetched; null when it may.</summary>
    public string? Refusal(string link)
    {
        if (!Uri.TryCreate(link, UriKind.Absolute, out var uri)) return "not-a-url";
        if (uri.Scheme != Uri.UriSchemeHttps) return "not-https";
        if (!_hosts.Contains(uri.IdnHost)) return "host-not-allowed";
        if (!string.IsNullOrEmpty(uri.UserInfo)) return "credentials-in-url";
        return null;
    }

    /// <summary>
    /// The response for the link (headers read, body not yet), after any redirects; or why it was refused.
    /// <paramref name="range"/>: a Range header to pass on (playback straight from UIS).
    /// </summary>
    public async Task<(HttpResponseMessage? Response, string? Refused)> GetAsync(string link, string? range, CancellationToken ct)
    {
        var http = clients.CreateClient(ClientName);
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            if (Refusal(link) is { } refused) return (null, hop == 0 ? refused : "redirect-" + refused);
            using var request = new HttpRequestMessage(HttpMethod.Get, link);
            if (range is not null) request.Headers.TryAddWithoutValidation("Range", range);
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                link = new Uri(new Uri(link), location).ToString();
                response.Dispose();
                continue;
            }
            if (response.Content.Headers.ContentLength > MaxBytes)
            {
                response.Dispose();
                return (null, "too-large");
            }
            return (response, null);
        }
        return (null, "too-many-redirects");
    }

    public static bool IsExpired(HttpStatusCode status) => status is HttpStatusCode.NotFound or HttpStatusCode.Gone;
}
