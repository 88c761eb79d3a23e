using System.Net;
using System.Net.Sockets;

namespace TestSupport;

/// <summary>The built host, for tests that run it as a real process (restarts, the README's commands, the demo in a browser).</summary>
internal static class HostBinary
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary><c>src/Host/bin/&lt;configuration&gt;/net10.0/EnvyCrm.Uis.Host.dll</c>, in the configuration the tests were built in.</summary>
    public static string Dll()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EnvyCrm.Uis.slnx"))) dir = dir.Parent;
        var configuration = AppContext.BaseDirectory.Contains("/Release/") ? "Release" : "Debug";
        return Path.Combine(dir!.FullName, "src", "Host", "bin", configuration, "net10.0", "EnvyCrm.Uis.Host.dll");
    }
}
