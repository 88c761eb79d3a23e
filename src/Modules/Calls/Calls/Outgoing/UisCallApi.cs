using System.Net.Http;
using BuildingBlocks.Uis.Api;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Calls.Outgoing;

/// <summary>
/// UIS's Call API (uis-protocol.md §4). Never asked twice for one call (ADR 10): the only retry is of
/// a connection that was never established, when the request cannot have reached UIS.
/// </summary>
public sealed class UisCallApi(IHttpClientFactory clients, IConfiguration configuration)
{
    public const string ClientName = "uis-call-api";
    public const string DefaultUrl = "https://callapi.uiscom.ru/v4.0";

    private readonly Uri _endpoint = new(configuration.GetValue("Uis:CallApiUrl", DefaultUrl)!);

    public Task<UisReply> CallAsync(string method, IReadOnlyDictionary<string, object?> parameters, CancellationToken ct) =>
        UisJsonRpc.CallAsync(clients.CreateClient(ClientName), _endpoint, method, parameters, ct);

    public static void Register(IServiceCollection services, IConfiguration configuration)
    {
        var timeout = TimeSpan.FromSeconds(configuration.GetValue("Uis:CallApiTimeoutSeconds", 10.0));
        services.AddSingleton<UisCallApi>();
        services.AddHttpClient(ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("uis-call-api", pipeline => pipeline
                .AddTimeout(timeout)
                .AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 2,
                    Delay = TimeSpan.FromMilliseconds(200),
                    BackoffType = DelayBackoffType.Exponential,
                    ShouldHandle = attempt => ValueTask.FromResult(NeverReachedUis(attempt.Outcome.Exception)),
                }));
    }

    /// <summary>No connection was made (refused, unreachable, name not resolved): UIS cannot have seen the request.</summary>
    public static bool NeverReachedUis(Exception? e) =>
        e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };
}
