using BuildingBlocks.Tenancy;
using Integration.Contracts;
using Integration.Employees;
using Integration.Lines;
using Integration.Routing;
using Integration.Tenants;
using Integration.Uis;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
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
        options.Schema.For<UisConnection>();
        options.Schema.For<UisConnectionChecked>();
        options.Schema.For<DataProtectionKey>().SingleTenanted();
    }

    public static IServiceCollection AddIntegrationModule(this IServiceCollection services)
    {
        // The key ring that encrypts the tenants' UIS API keys lives in PostgreSQL, shared by every node.
        services.AddDataProtection().SetApplicationName("EnvyCrm.Uis");
        services.AddOptions<KeyManagementOptions>()
            .Configure<IDocumentStore>((options, store) => options.XmlRepository = new DataProtectionKeyStore(store));
        services.AddSingleton<IUisApiKeys, UisApiKeys>();
        CheckUisConnectionEndpoint.Register(services);
        services.AddSingleton<RoutingDirectory>();
        services.AddSingleton<IRoutingDirectory>(s => s.GetRequiredService<RoutingDirectory>());
        services.AddHostedService(s => s.GetRequiredService<RoutingDirectory>());
        services.ConfigureMarten((provider, options) => options.Listeners.Add(provider.GetRequiredService<RoutingDirectory>()));
        return services.AddSingleton<ITenantDirectory, TenantDirectory>();
    }
}
