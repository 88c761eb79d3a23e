using Calls.CallHistory;
using Calls.Outgoing;
using Calls.Recordings;
using Wolverine.ErrorHandling;
using Calls.Uis;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Calls;

public static class CallsModule
{
    public static void ConfigureMarten(StoreOptions options)
    {
        options.Projections.Add<CallHistoryEntryProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<CallStatistics.CallsPerHourProjection>(ProjectionLifecycle.Async);
        options.Schema.For<CallStatistics.CallsPerHour>().Duplicate(h => h.Hour);
        options.Schema.For<CallHistoryEntry>().Duplicate(c => c.SortKey).Duplicate(c => c.ClientPhone);
        options.Schema.For<RejectedUisNotification>();
        options.Schema.For<RecordingSettings>();
    }

    /// <summary>A recording download that failed is tried again later, durably, until the retries run out (then recorded as failed).</summary>
    public static void ConfigureWolverine(Wolverine.WolverineOptions options, IConfiguration configuration) =>
        options.OnException<RecordingDownloadException>().ScheduleRetry(ArchiveRecordingHandler.RetryDelays(configuration));

    public static IServiceCollection AddCallsModule(this IServiceCollection services, IConfiguration configuration)
    {
        UisCallApi.Register(services, configuration);
        RecordingFetcher.Register(services, configuration);
        services.AddSingleton<Calls.Contracts.ICallRecordings, CallRecordingsReader>();
        services.AddSingleton<RecordingRetention>().AddHostedService(s => s.GetRequiredService<RecordingRetention>());
        // The folder on disk unless the host registers another store (e.g. S3-compatible) first.
        services.TryAddSingleton<IRecordingStore>(s => new DiskRecordingStore(configuration.GetValue<string>("Recordings:Path")
            ?? Path.Combine(s.GetRequiredService<Microsoft.Extensions.Hosting.IHostEnvironment>().ContentRootPath, ".data", "recordings")));
        return services.AddSingleton<CallNotificationWriter>().AddHostedService(s => s.GetRequiredService<CallNotificationWriter>());
    }
}
