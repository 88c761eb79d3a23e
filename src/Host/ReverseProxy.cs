using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Host;

/// <summary>
/// Behind a reverse proxy the client's address and host come in <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Host</c>; they are believed only from the proxies listed in
/// <c>ReverseProxy:KnownProxies</c> (addresses or CIDR ranges), since routing's allow-list and the
/// tenant's subdomain are read from them. With none listed, the headers are ignored.
/// </summary>
public static class ReverseProxy
{
    public static void UseForwardedHeadersFromKnownProxies(this WebApplication app)
    {
        var proxies = app.Configuration.GetSection("ReverseProxy:KnownProxies").Get<string[]>() ?? [];
        if (proxies.Length == 0) return;
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies)
        {
            if (System.Net.IPNetwork.TryParse(proxy, out var network)) options.KnownIPNetworks.Add(network);
            else if (IPAddress.TryParse(proxy, out var address)) options.KnownProxies.Add(address);
            else throw new InvalidOperationException($"ReverseProxy:KnownProxies: '{proxy}' is neither an address nor a CIDR range.");
        }
        app.UseForwardedHeaders(options);
    }
}
