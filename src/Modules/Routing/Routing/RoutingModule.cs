using Marten;

namespace Routing;

public static class RoutingModule
{
    public static void ConfigureMarten(StoreOptions options)
    {
    }
}
