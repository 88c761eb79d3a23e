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

    private LocalPostgres? _postgres;
    public IAlbaHost Host { get; private set; } = null!;
    public IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();

    public async Task InitializeAsync()
    {
        _postgres = await LocalPostgres.StartAsync(Path.Combine(Path.GetTempPath(), $"envycrm-tests-{Guid.NewGuid():N}"), throwaway: true);
        Environment.SetEnvironmentVariable("ConnectionStrings__Postgres", _postgres.ConnectionString);
        Environment.SetEnvironmentVariable("Auth__SigningKey", Convert.ToBase64String(SigningKey));
        Environment.SetEnvironmentVariable("PublicBaseUrl", "https://uis.envycrm.test");
        Host = await AlbaHost.For<Program>(builder =>
        {
            builder.UseSetting("environment", "Testing");
            builder.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                services.DisableAllExternalWolverineTransports();
            });
        });
    }

    /// <summary>
    /// Waits until Wolverine's durable inbox holds no message still to handle (batched handlers
    /// run on a timer, out of sight of Wolverine's activity tracking), twice in a row.
    /// </summary>
    public async Task DurableInboxSettledAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        await using var connection = new Npgsql.NpgsqlConnection(_postgres!.ConnectionString);
        await connection.OpenAsync();
        await using var pending = new Npgsql.NpgsqlCommand(
            "select count(*) from envycrm.wolverine_incoming_envelopes where status = 'Incoming'", connection);
        var quietChecks = 0;
        while (quietChecks < 2)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Wolverine's durable inbox did not settle.");
            await Task.Delay(50);
            quietChecks = (long)(await pending.ExecuteScalarAsync())! == 0 ? quietChecks + 1 : 0;
        }
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "app";
}
