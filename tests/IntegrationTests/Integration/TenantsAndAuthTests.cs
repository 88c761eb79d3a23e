using System.Text.Json;
using Alba;
using Host.Security;
using IntegrationTests.Infrastructure;

namespace IntegrationTests.Integration;

[Collection(AppCollection.Name)]
public sealed class TenantsAndAuthTests(AppFixture app)
{
    [Fact]
    public async Task Creating_a_tenant_answers_with_a_long_random_notification_link()
    {
        var subdomain = Scenarios.NewSubdomain();
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { subdomain, name = "Acme", timeZone = "Europe/Moscow" }).ToUrl("/admin/tenants");
            s.WithBearerToken(Scenarios.OperatorToken);
            s.StatusCodeShouldBe(201);
        });
        var body = await result.ReadAsJsonAsync<JsonElement>();
        body.GetProperty("tenantId").GetString().Should().Be(subdomain);
        body.GetProperty("subdomain").GetString().Should().Be(subdomain);
        var link = body.GetProperty("notificationLink").GetString()!;
        link.Should().StartWith("https://uis.envycrm.test/hook/uis/");
        var secret = link[(link.LastIndexOf('/') + 1)..];
        secret.Length.Should().BeGreaterThanOrEqualTo(40);

        var other = await app.Host.CreateTenantAsync();
        other.Secret.Should().NotBe(secret);
    }

    [Fact]
    public async Task A_taken_subdomain_is_a_conflict()
    {
        var tenant = await app.Host.CreateTenantAsync();
        await app.Host.Scenario(s =>
        {
            s.Post.Json(new { subdomain = tenant.Id, name = "Again" }).ToUrl("/admin/tenants");
            s.WithBearerToken(Scenarios.OperatorToken);
            s.StatusCodeShouldBe(409);
        });
    }

    [Fact]
    public async Task Two_creations_of_one_subdomain_at_once_give_one_tenant_and_one_conflict()
    {
        var subdomain = Scenarios.NewSubdomain();
        var client = app.Host.Server.CreateClient();
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/admin/tenants")
            {
                Content = System.Net.Http.Json.JsonContent.Create(new { subdomain, name = "Race" }),
            };
            request.Headers.Authorization = new("Bearer", Scenarios.OperatorToken);
            return client.SendAsync(request);
        }));
        responses.Count(r => (int)r.StatusCode == 201).Should().Be(1);
        responses.Count(r => (int)r.StatusCode == 409).Should().Be(3);
    }

    [Theory]
    [InlineData("Acme")]
    [InlineData("-acme")]
    [InlineData("acme.corp")]
    [InlineData("")]
    [InlineData("www")]
    public async Task An_invalid_subdomain_is_a_validation_problem(string subdomain)
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { subdomain, name = "Acme" }).ToUrl("/admin/tenants");
            s.WithBearerToken(Scenarios.OperatorToken);
            s.StatusCodeShouldBe(400);
        });
        result.Context.Response.ContentType.Should().StartWith("application/problem+json");
        (await result.ReadAsTextAsync()).Should().Contain("subdomain");
    }

    [Fact]
    public async Task Admin_endpoints_need_the_operator()
    {
        var tenant = await app.Host.CreateTenantAsync();
        await app.Host.Scenario(s =>
        {
            s.Post.Json(new { subdomain = Scenarios.NewSubdomain(), name = "X" }).ToUrl("/admin/tenants");
            s.StatusCodeShouldBe(401);
        });
        await app.Host.Scenario(s =>
        {
            s.Post.Json(new { subdomain = Scenarios.NewSubdomain(), name = "X" }).ToUrl("/admin/tenants");
            s.WithBearerToken(tenant.AdminToken);
            s.StatusCodeShouldBe(403);
        });
    }

    [Fact]
    public async Task The_crm_api_refuses_missing_forged_expired_and_unknown_tenant_tokens()
    {
        var tenant = await app.Host.CreateTenantAsync();
        var forged = TokenIssuer.ForEmployee(new byte[64], tenant.Id, 7);
        var expired = TokenIssuer.ForEmployee(AppFixture.SigningKey, tenant.Id, 7, lifetime: TimeSpan.FromMinutes(-10));
        var unknownTenant = TokenIssuer.ForEmployee(AppFixture.SigningKey, "nosuchtenant", 7);
        foreach (var token in new string?[] { null, forged, expired, unknownTenant, "not-a-jwt" })
        {
            await app.Host.Scenario(s =>
            {
                s.Get.Url("/api/calls");
                if (token is not null) s.WithBearerToken(token);
                s.StatusCodeShouldBe(401);
            });
        }
        await app.Host.Scenario(s =>
        {
            s.Get.Url("/api/calls");
            s.WithBearerToken(tenant.EmployeeToken(7));
            s.StatusCodeShouldBeOk();
        });
    }

    [Fact]
    public async Task The_operator_token_has_no_tenant_and_cannot_read_crm_data()
    {
        await app.Host.Scenario(s =>
        {
            s.Get.Url("/api/calls");
            s.WithBearerToken(Scenarios.OperatorToken);
            s.StatusCodeShouldBe(403);
        });
    }
}
