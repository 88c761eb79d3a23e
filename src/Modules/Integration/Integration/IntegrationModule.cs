using BuildingBlocks.Tenancy;
using Integration.Contracts;
using Integration.Employees;
using Integration.Lines;
using Integration.Routing;
using Integration.Tenants;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Integration;

public static class IntegrationModule
{
    public static void ConfigureMarten(StoreOptions options)
    {
        options.Schema.For<Tenant>().SingleTenanted().UniqueIndex(t => t.NotificationSecretHash);
        options.Schema.For<Employee>();
        options.Schema.For<EmployeePhone>();
        options.Schema.For<TenantLines>();
        options.Schema.For<LineEmployees>();
        options.Schema.For<RoutingSettings>();
        options.Schema.For<EmployeeAvailability>();
    }

    public static IServiceCollection AddIntegrationModule(this IServiceCollection services)
    {
        services.AddSingleton<RoutingDirectory>();
        services.AddSingleton<IRoutingDirectory>(s => s.GetRequiredService<RoutingDirectory>());
        services.AddHostedService(s => s.GetRequiredService<RoutingDirectory>());
        services.ConfigureMarten((provider, options) => options.Listeners.Add(provider.GetRequiredService<RoutingDirectory>()));
        return services.AddSingleton<ITenantDirectory, TenantDirectory>();
    }
}
