using Marten;
using Routing.Contracts;

namespace Routing;

public static class RoutingModule
{
    public static void ConfigureMarten(StoreOptions options)
    {
        options.Schema.For<CallRouting>();
    }
}
