using System.Text.Json;
using System.Text.RegularExpressions;
using Alba;
using IntegrationTests.Infrastructure;

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
