using BuildingBlocks.Postgres;
using JasperFx.Events.Projections;
using Leads.CallLinking;
using Leads.ClientCards;
using Leads.Contracts;
using Leads.ManagerLookups;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Weasel.Postgresql.Tables;

namespace Leads;

public static class LeadsModule
{
    public static void ConfigureMarten(StoreOptions options)
    {
        options.Projections.Add<ClientCardProjection>(ProjectionLifecycle.Inline);
        // fastupdate off: with GIN's pending list, every lookup by phone scanned the phones of all
        // cards created since the last vacuum, and the screen pop slowed as leads came in.
        options.Schema.For<ClientCard>().Index(c => c.Phones, index =>
        {
            index.Method = IndexMethod.gin;
            index.StorageParameters["fastupdate"] = "off";
        }).Duplicate(c => c.Kind);
        options.Schema.For<LinkedCall>().Duplicate(c => c.ClientId);
        options.Schema.For<OpenLeadPhone>();
    }

    public static IServiceCollection AddLeadsModule(this IServiceCollection services)
    {
        services.AddServiceDatabase();
        services.AddSingleton<CardIndex>();
        services.AddSingleton<CardIndexHost>().AddHostedService(s => s.GetRequiredService<CardIndexHost>());
        services.AddSingleton<CardChanges>();
        services.AddHostedService<CardTableStatistics>();
        services.ConfigureMarten((provider, options) => options.Listeners.Add(provider.GetRequiredService<CardChanges>()));
        return services.AddSingleton<IManagerLookup, ManagerLookup>();
    }
}
