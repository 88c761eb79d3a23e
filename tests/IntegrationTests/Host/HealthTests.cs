using System.Text.Json;
using Alba;
using IntegrationTests.Infrastructure;
using Marten;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace IntegrationTests.Host;

[Collection(AppCollection.Name)]
public sealed class HealthTests(AppFixture app)
{
    [Fact]
    public async Task Live_answers_and_ready_checks_postgres_and_the_schema()
    {
        await app.Host.Scenario(s =>
        {
            s.Get.Url("/health/live");
            s.StatusCodeShouldBeOk();
        });
        var ready = await app.Host.Scenario(s =>
        {
            s.Get.Url("/health/ready");
            s.StatusCodeShouldBeOk();
        });
        var checks = (await ready.ReadAsJsonAsync<JsonElement>()).GetProperty("checks");
        checks.GetProperty("postgres").GetProperty("status").GetString().Should().Be("Healthy");
        checks.GetProperty("schema").GetProperty("status").GetString().Should().Be("Healthy");
    }

    [Fact]
    public async Task A_schema_that_is_not_applied_is_not_ready_until_it_is()
    {
        var check = new global::Host.Health.SchemaApplied(app.Store);
        await Execute("drop index envycrm.mt_doc_clientcard_idx_phones");
        try
        {
            (await check.CheckHealthAsync(new HealthCheckContext(), CancellationToken.None)).Status.Should().Be(HealthStatus.Unhealthy);
        }
        finally
        {
            await app.Store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        }
        (await check.CheckHealthAsync(new HealthCheckContext(), CancellationToken.None)).Status.Should().Be(HealthStatus.Healthy);
    }

    [Fact]
    public async Task Ready_flips_to_unhealthy_when_the_database_is_stopped()
    {
        var postgres = await BuildingBlocks.Postgres.LocalPostgres.StartAsync(
            Path.Combine(Path.GetTempPath(), $"envycrm-health-{Guid.NewGuid():N}"), throwaway: true);
        using var store = DocumentStore.For(options => options.Connection(postgres.ConnectionString + ";Timeout=3"));
        var check = new global::Host.Health.PostgresAnswers(store);
        (await check.CheckHealthAsync(new HealthCheckContext(), CancellationToken.None)).Status.Should().Be(HealthStatus.Healthy);

        await postgres.DisposeAsync();
        (await check.CheckHealthAsync(new HealthCheckContext(), CancellationToken.None)).Status.Should().Be(HealthStatus.Unhealthy);
    }

    [Fact]
    public async Task A_database_that_does_not_answer_is_not_ready()
    {
        using var unreachable = DocumentStore.For(options =>
        {
            options.Connection("Host=127.0.0.1;Port=1;Username=nobody;Password=none;Database=none;Timeout=2");
        });
        var check = new global::Host.Health.PostgresAnswers(unreachable);
        (await check.CheckHealthAsync(new HealthCheckContext(), CancellationToken.None)).Status.Should().Be(HealthStatus.Unhealthy);
    }

    private async Task Execute(string sql)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
