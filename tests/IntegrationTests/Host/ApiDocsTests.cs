using System.Text.Json;
using System.Text.RegularExpressions;
using Alba;
using IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationTests.Host;

[Collection(AppCollection.Name)]
public sealed class ApiDocsTests(AppFixture app)
{
    [Fact]
    public async Task The_OpenAPI_document_lists_the_CRM_API_the_UIS_hooks_and_admin()
    {
        var document = await app.Host.Scenario(s =>
        {
            s.Get.Url("/openapi/v1.json");
            s.StatusCodeShouldBeOk();
        });
        var paths = (await document.ReadAsJsonAsync<JsonElement>()).GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        paths.Should().Contain(["/api/calls", "/api/calls/outgoing", "/api/clients", "/api/settings/routing", "/api/routing/decisions",
            "/hook/uis/{secret}", "/hook/uis", "/admin/tenants", "/api/calls/{callId}/recordings/{n}"]);
    }

    [Fact]
    public async Task Every_route_the_host_maps_is_in_the_OpenAPI_document()
    {
        var document = await app.Host.GetJsonAsync<JsonElement>("/openapi/v1.json", Scenarios.OperatorToken);
        var documented = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => $"{o.Name.ToUpperInvariant()} {p.Name}")).ToHashSet();
        var mapped = app.Host.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => !e.RoutePattern.RawText!.StartsWith("/docs") && !e.RoutePattern.RawText.StartsWith("/openapi"))
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => $"{m} /{Regex.Replace(e.RoutePattern.RawText!.Trim('/'), @"\{(\w+)(:[^}]*)?\}", "{$1}")}"))
            .ToList();

        mapped.Should().NotBeEmpty();
        mapped.Where(route => !documented.Contains(route)).Should().BeEmpty("every route is documented");
    }

    [Fact]
    public async Task Every_request_and_response_body_has_an_example()
    {
        var document = await app.Host.GetJsonAsync<JsonElement>("/openapi/v1.json", Scenarios.OperatorToken);
        var bodies = new List<(string Where, JsonElement Media)>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        foreach (var operation in path.Value.EnumerateObject())
        {
            var where = $"{operation.Name.ToUpperInvariant()} {path.Name}";
            if (operation.Value.TryGetProperty("requestBody", out var request))
                bodies.AddRange(request.GetProperty("content").EnumerateObject().Select(m => ($"{where} request {m.Name}", m.Value)));
            if (operation.Value.TryGetProperty("responses", out var responses))
                foreach (var response in responses.EnumerateObject())
                    if (response.Value.TryGetProperty("content", out var content))
                        bodies.AddRange(content.EnumerateObject().Select(m => ($"{where} {response.Name} {m.Name}", m.Value)));
        }

        bodies.Should().HaveCountGreaterThan(30);
        // Audio has no example worth the name; JSON, forms and the event stream do.
        string.Join("; ", bodies.Where(b => !b.Where.Contains("audio") && !b.Where.Contains("octet-stream") && !b.Media.TryGetProperty("example", out _)).Select(b => b.Where)).Should().BeEmpty();
        var clickToCall = document.GetProperty("paths").GetProperty("/api/calls/outgoing").GetProperty("post");
        clickToCall.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example")
            .GetProperty("phone").GetString().Should().Be("8 916 123-45-67", "written by hand where a realistic value matters");
        clickToCall.GetProperty("responses").GetProperty("202").GetProperty("content").GetProperty("application/json").GetProperty("example")
            .GetProperty("uisCallSessionId").GetInt64().Should().BePositive();
    }

    [Fact]
    public async Task The_docs_page_is_served_without_anything_from_elsewhere()
    {
        using var client = app.Host.Server.CreateClient();
        var page = await client.GetAsync("/docs");
        if ((int)page.StatusCode is 301 or 302) page = await client.GetAsync(page.Headers.Location!);
        ((int)page.StatusCode).Should().Be(200);
        var html = await page.Content.ReadAsStringAsync();
        var pageUrl = page.RequestMessage!.RequestUri!;
        var source = Regex.Match(html, @"""url"":""([^""]+\.json)""").Groups[1].Value;
        source.Should().NotBeEmpty();
        ((int)(await client.GetAsync(new Uri(pageUrl, source))).StatusCode).Should().Be(200, "the page finds the OpenAPI document where it looks");
        Regex.Matches(html, @"(src|href)\s*=\s*[""']?(https?:)?//").Should().BeEmpty("no script or style comes from a CDN");
        foreach (Match script in Regex.Matches(html, @"src\s*=\s*[""']([^""']+)[""']"))
        {
            var url = script.Groups[1].Value;
            var asset = await client.GetAsync(new Uri(pageUrl, url));
            ((int)asset.StatusCode).Should().Be(200, $"{url} is served by the host");
        }
    }
}
