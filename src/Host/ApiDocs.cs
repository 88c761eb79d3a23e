using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Host;

/// <summary>The OpenAPI document (<c>/openapi/v1.json</c>) of every endpoint, and Scalar's interactive page at <c>/docs</c>, served from the host (no CDN).</summary>
public static class ApiDocs
{
    public static void AddApiDocs(this IServiceCollection services) => services.AddOpenApi(options =>
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            AddOperational(document);
            DropGuessedOk(document);
            TagByArea(document);
            return Task.CompletedTask;
        });
        options.AddDocumentTransformer<ApiExamples>();
    });

    public static void MapApiDocs(this WebApplication app)
    {
        app.MapOpenApi();
        // Scalar's page asks for the document relative to itself (openapi/v1.json under /docs/): serve it there too.
        app.MapOpenApi("/docs/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", options => options.WithTitle("EnvyCRM · UIS telephony API"));
    }

    /// <summary>Health checks and the Prometheus endpoint are not minimal-API handlers, so the generator does not see them.</summary>
    private static void AddOperational(OpenApiDocument document)
    {
        Add(document, "/health/live", "Liveness: 200 while the process answers.", "text/plain", JsonValue.Create("Healthy"));
        Add(document, "/health/ready", "Readiness: PostgreSQL answers and the schema is applied; 503 otherwise.", "application/json",
            JsonNode.Parse("""{"status":"Healthy","checks":{"postgres":{"status":"Healthy","description":null},"schema":{"status":"Healthy","description":null}}}""")!);
        Add(document, "/metrics", "Prometheus scrape of the service's metrics.", "text/plain",
            JsonValue.Create("# TYPE envycrm_uis_notifications_total counter\nenvycrm_uis_notifications_total{event=\"call_start\",outcome=\"stored\"} 1042\n"));
    }

    /// <summary>
    /// Wolverine describes an endpoint returning <c>IResult</c> as "200, some JSON"; where the endpoint
    /// declares its real success (201, 204), that guess is dropped.
    /// </summary>
    private static void DropGuessedOk(OpenApiDocument document)
    {
        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            if (operation.Responses is not { } responses) continue;
            if (responses.Keys.Any(k => k is "201" or "202" or "204") && responses.TryGetValue("200", out var ok)
                && ok.Content?.Values.All(m => m.Schema is null or OpenApiSchemaReference { Reference.Id: "IResult" }) != false)
                responses.Remove("200");
            // A media type with neither schema nor example says nothing (Wolverine's 404 of a streaming endpoint).
            foreach (var response in responses.Values.Where(r => r.Content is { Count: > 0 }))
                foreach (var empty in response.Content!.Where(m => m.Value.Schema is null && m.Value.Example is null).Select(m => m.Key).ToList())
                    response.Content!.Remove(empty);
        }
    }

    /// <summary>Operations grouped by what they are about, not by the handler class that serves them.</summary>
    private static void TagByArea(OpenApiDocument document)
    {
        document.Tags = new HashSet<OpenApiTag>();
        foreach (var (path, item) in document.Paths)
        {
            var area = path switch
            {
                _ when path.StartsWith("/hook/") => "UIS hooks",
                _ when path.StartsWith("/admin/") => "Admin",
                _ when path.StartsWith("/api/settings/") => "Settings",
                _ when path.StartsWith("/api/calls") => "Calls",
                _ when path.StartsWith("/api/clients") || path.StartsWith("/api/leads") => "Clients and leads",
                _ when path.StartsWith("/api/routing") => "Routing",
                _ when path.StartsWith("/api/events") => "Screen pop",
                _ => "Operations",
            };
            document.Tags.Add(new OpenApiTag { Name = area });
            foreach (var operation in item.Operations?.Values.AsEnumerable() ?? [])
                operation.Tags = new HashSet<OpenApiTagReference> { new(area, document) };
        }
    }

    private static void Add(OpenApiDocument document, string path, string summary, string contentType, JsonNode example)
    {
        document.Paths ??= new OpenApiPaths();
        document.Paths[path] = new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = new()
                {
                    Summary = summary,
                    Tags = new HashSet<OpenApiTagReference> { new("Operations") },
                    Responses = new OpenApiResponses
                    {
                        ["200"] = new OpenApiResponse { Description = "OK", Content = new Dictionary<string, OpenApiMediaType> { [contentType] = new() { Example = example } } },
                    },
                },
            },
        };
    }
}
