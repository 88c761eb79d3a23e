using Calls.CallHistory;
using Calls.Uis;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Calls;

public static class CallsModule
{
    public static void ConfigureMarten(StoreOptions options)
    {
        options.Projections.Add<CallHistoryEntryProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<CallHistoryEntry>().Duplicate(c => c.SortKey).Duplicate(c => c.ClientPhone);
        options.Schema.For<RejectedUisNotification>();
    }

    public static IServiceCollection AddCallsModule(this IServiceCollection services) =>
        services.AddSingleton<CallNotificationWriter>().AddHostedService(s => s.GetRequiredService<CallNotificationWriter>());
}
