using Calls.CallHistory;
using Calls.Outgoing;
using Calls.Uis;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Configuration;
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

    public static IServiceCollection AddCallsModule(this IServiceCollection services, IConfiguration configuration)
    {
        UisCallApi.Register(services, configuration);
        return services.AddSingleton<CallNotificationWriter>().AddHostedService(s => s.GetRequiredService<CallNotificationWriter>());
    }
}
