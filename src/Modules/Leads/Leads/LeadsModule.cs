using JasperFx.Events.Projections;
using Leads.CallLinking;
using Leads.ClientCards;
using Marten;

namespace Leads;

public static class LeadsModule
{
    public static void ConfigureMarten(StoreOptions options)
    {
        options.Projections.Add<ClientCardProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<ClientCard>().Index(c => c.Phones).Duplicate(c => c.Kind);
        options.Schema.For<LinkedCall>();
        options.Schema.For<OpenLeadPhone>();
    }
}
