using Alba;
using IntegrationTests.Infrastructure;

namespace IntegrationTests.Calls;

[Collection(AppCollection.Name)]
public sealed class CallHistoryTests(AppFixture app)
{
    private Task<CallPage> PageAsync(Scenarios.TestTenant tenant, string query) =>
        app.Host.GetJsonAsync<CallPage>($"/api/calls?{query}", tenant.EmployeeToken(5));

    [Fact]
    public async Task The_history_filters_by_direction_status_employee_and_phone_in_any_format()
    {
        var tenant = await app.Host.CreateTenantAsync();
        await app.Host.PutEmployeeAsync(tenant, 7, "+79161234567");
        long answeredIn = Scenarios.NewSession(), missedIn = Scenarios.NewSession(), unansweredOut = Scenarios.NewSession(), live = Scenarios.NewSession();
        await app.Host.NotifyAsync(tenant, Scenarios.End(answeredIn, "in", 30, "79161234567", client: "79260000001"));
        await app.Host.NotifyAsync(tenant, Scenarios.End(missedIn, "in", 0, client: "79260000002"));
        await app.Host.NotifyAsync(tenant, Scenarios.End(unansweredOut, "out", 0, "79161234567", client: "79260000002"));
        await app.Host.NotifyAsync(tenant, Scenarios.IncomingStart(live, client: "79260000003"));

        static IEnumerable<long> Sessions(CallPage page) => page.Items.Select(c => c.UisCallSessionId);
        Sessions(await PageAsync(tenant, "")).Should().Equal(live, unansweredOut, missedIn, answeredIn);
        Sessions(await PageAsync(tenant, "direction=out")).Should().Equal(unansweredOut);
        Sessions(await PageAsync(tenant, "status=missed")).Should().Equal(missedIn);
        Sessions(await PageAsync(tenant, "status=answered")).Should().Equal(answeredIn);
        Sessions(await PageAsync(tenant, "status=unanswered")).Should().Equal(unansweredOut);
        Sessions(await PageAsync(tenant, "status=in-progress")).Should().Equal(live);
        Sessions(await PageAsync(tenant, "employeeId=7")).Should().Equal(unansweredOut, answeredIn);
        foreach (var format in new[] { "8%20(926)%20000-00-02", "%2B7%20926%200000002", "9260000002", "79260000002" })
            Sessions(await PageAsync(tenant, $"phone={format}")).Should().Equal(unansweredOut, missedIn);
    }

    [Fact]
    public async Task The_history_is_newest_first_and_keyset_paginated_over_a_period()
    {
        var tenant = await app.Host.CreateTenantAsync();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var sessions = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            var session = Scenarios.NewSession();
            sessions.Add(session);
            await app.Host.NotifyAsync(tenant, Scenarios.IncomingStart(session));
        }
        sessions.Reverse();

        var seen = new List<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await PageAsync(tenant, $"limit=3&from={Uri.EscapeDataString(before.ToString("O"))}" + (cursor is null ? "" : $"&cursor={cursor}"));
            page.Items.Count.Should().BeLessThanOrEqualTo(3);
            seen.AddRange(page.Items.Select(c => c.UisCallSessionId));
            cursor = page.NextCursor;
            pages++;
        } while (cursor is not null && pages < 10);

        pages.Should().Be(3);
        seen.Should().Equal(sessions);
        var raw = await app.Host.GetJsonAsync<System.Text.Json.JsonElement>("/api/calls?limit=1", tenant.EmployeeToken(5));
        raw.GetProperty("items")[0].TryGetProperty("sortKey", out _).Should().BeFalse("the order key is a column, not part of the API");
        (await PageAsync(tenant, $"to={Uri.EscapeDataString(before.ToString("O"))}")).Items.Should().BeEmpty();
    }

    [Theory]
    [InlineData("direction=sideways")]
    [InlineData("status=lost")]
    [InlineData("limit=0")]
    [InlineData("limit=5000")]
    [InlineData("cursor=garbage")]
    [InlineData("from=yesterday")]
    public async Task Bad_filters_are_validation_problems(string query)
    {
        var tenant = await app.Host.CreateTenantAsync();
        await app.Host.Scenario(s =>
        {
            s.Get.Url($"/api/calls?{query}");
            s.WithBearerToken(tenant.EmployeeToken(1));
            s.StatusCodeShouldBe(400);
        });
    }

    [Fact]
    public async Task A_tenant_never_sees_another_tenants_calls()
    {
        var a = await app.Host.CreateTenantAsync();
        var b = await app.Host.CreateTenantAsync();
        var session = Scenarios.NewSession();
        await app.Host.NotifyAsync(a, Scenarios.IncomingStart(session));
        var call = (await PageAsync(a, "")).Items.Single();

        (await PageAsync(b, "")).Items.Should().BeEmpty();
        (await PageAsync(b, "phone=79508418541")).Items.Should().BeEmpty();
        await app.Host.Scenario(s =>
        {
            s.Get.Url($"/api/calls/{call.Id}");
            s.WithBearerToken(b.AdminToken);
            s.StatusCodeShouldBe(404);
        });

        // The same UIS session id in another account is another call.
        await app.Host.NotifyAsync(b, Scenarios.End(session, talk: 9));
        (await PageAsync(b, "")).Items.Single().Status.Should().Be("answered");
        (await PageAsync(a, "")).Items.Single().Status.Should().Be("in-progress");
    }
}
