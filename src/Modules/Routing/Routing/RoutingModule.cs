using Integration.Contracts;
using Leads.Contracts;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Routing.Contracts;
using Routing.Decisions;
using Routing.Uis;

namespace Routing;

public static class RoutingModule
{
    public static void ConfigureMarten(StoreOptions options)
    {
        options.Schema.For<CallRouting>();
    }

    public static IServiceCollection AddRoutingModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<RoutingDecisionWriter>().AddHostedService(s => s.GetRequiredService<RoutingDecisionWriter>());
        var deadline = TimeSpan.FromMilliseconds(configuration.GetValue("Routing:DeadlineMilliseconds", 300));
        return services.AddSingleton(s => new RoutingServices(s.GetRequiredService<IManagerLookup>(), s.GetRequiredService<IRoutingDirectory>(),
            s.GetRequiredService<RoutingDecisionWriter>(), s.GetRequiredService<TimeProvider>(), deadline));
    }
}
