using System.Security.Cryptography;
using Alba;
using Microsoft.AspNetCore.Hosting;
using BuildingBlocks.Postgres;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace IntegrationTests.Infrastructure;

/// <summary>One host per test run, on a throwaway PostgreSQL started by the same launcher the service uses.</summary>
public sealed class AppFixture : IAsyncLifetime
{
    public static readonly byte[] SigningKey = RandomNumberGenerator.GetBytes(64);
    public const int HeartbeatSeconds = 1;
    public const string RoutingBaseDomain = "envycrm.test";
    public const string KnownProxy = "10.9.9.9";

    private LocalPostgres? _postgres;
    public IAlbaHost Host { get; private set; } = null!;
    public IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();
    public string ConnectionString => _postgres!.ConnectionString;

    /// <summary>New cards of one account after which the card table's statistics are taken again.</summary>
    public const int CardsBeforeAnalyse = 10;
    public CapturedLogs Logs { get; } = new();
    /// <summary>UIS's Call API and Data API, on loopback; the host is pointed at it.</summary>
    public UisSimulator.Simulator Uis { get; private set; } = null!;
    public const double CallApiTimeoutSeconds = 1.5;
    public const long MaxRecordingBytes = 1024 * 1024;

    public async Task InitializeAsync()
    {
        _postgres = await LocalPostgres.StartAsync(Path.Combine(Path.GetTempPath(), $"envycrm-tests-{Guid.NewGuid():N}"), throwaway: true);
        Environment.SetEnvironmentVariable("ConnectionStrings__Postgres", _postgres.ConnectionString);
        Uis = await UisSimulator.Simulator.StartAsync();
        Environment.SetEnvironmentVariable("Uis__CallApiUrl", Uis.CallApiUrl.ToString());
        Environment.SetEnvironmentVariable("Uis__DataApiUrl", Uis.DataApiUrl.ToString());
        Environment.SetEnvironmentVariable("Recordings__AllowedHosts__0", "localhost");
        // The simulator serves recordings over HTTPS with a throwaway certificate, which the host is told to trust.
        var certificate = Path.Combine(Path.GetTempPath(), $"envycrm-media-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(certificate, Uis.MediaCertificate.ExportCertificatePem());
        Environment.SetEnvironmentVariable("Recordings__TrustedCertificatePath", certificate);
        Environment.SetEnvironmentVariable("Recordings__Path", Path.Combine(Path.GetTempPath(), $"envycrm-recordings-{Guid.NewGuid():N}"));
        Environment.SetEnvironmentVariable("Recordings__RetryDelaysSeconds__0", "0.2");
        Environment.SetEnvironmentVariable("Recordings__RetryDelaysSeconds__1", "0.2");
        Environment.SetEnvironmentVariable("Recordings__MaxBytes", MaxRecordingBytes.ToString());
        Environment.SetEnvironmentVariable("Recordings__DownloadTimeoutSeconds", "2");
        Environment.SetEnvironmentVariable("Uis__CallApiTimeoutSeconds", CallApiTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Environment.SetEnvironmentVariable("Auth__SigningKey", Convert.ToBase64String(SigningKey));
        Environment.SetEnvironmentVariable("PublicBaseUrl", "https://uis.envycrm.test");
        Environment.SetEnvironmentVariable("Events__HeartbeatSeconds", HeartbeatSeconds.ToString());
        Environment.SetEnvironmentVariable("Routing__BaseDomain", RoutingBaseDomain);
        Environment.SetEnvironmentVariable("ReverseProxy__KnownProxies__0", KnownProxy);
        Environment.SetEnvironmentVariable("Projections__Daemon", "Solo");
        Environment.SetEnvironmentVariable("Projections__LagSeconds", "0.2");
        Environment.SetEnvironmentVariable("Leads__StatisticsCheckSeconds", "0.5");
        Environment.SetEnvironmentVariable("Leads__AnalyzeAfterNewCards", CardsBeforeAnalyse.ToString());
        Host = await AlbaHost.For<Program>(builder =>
        {
            builder.UseSetting("environment", "Testing");
            builder.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs);
                services.DisableAllExternalWolverineTransports();
            });
        });
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Uis.DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "app";
}
