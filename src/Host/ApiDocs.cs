using Scalar.AspNetCore;

namespace Host;

/// <summary>The OpenAPI document (<c>/openapi/v1.json</c>) of every endpoint, and Scalar's interactive page at <c>/docs</c>, served from the host (no CDN).</summary>
public static class ApiDocs
{
    public static void AddApiDocs(this IServiceCollection services) => services.AddOpenApi();

    public static void MapApiDocs(this WebApplication app)
    {
        app.MapOpenApi();
        // Scalar's page asks for the document relative to itself (openapi/v1.json under /docs/): serve it there too.
        app.MapOpenApi("/docs/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", options => options.WithTitle("EnvyCRM · UIS telephony API"));
    }
}
