using System.Net;
using Alba;
using IntegrationTests.Infrastructure;
using Wolverine.Tracking;

namespace IntegrationTests.Leads;

/// <summary>An unknown caller becomes a lead, once per number, whatever the timing.</summary>
[Collection(AppCollection.Name)]
public sealed class LeadCaptureTests(AppFixture app)
{
    private Task<List<ClientCardTests.Card>> OpenLeadsAsync(Scenarios.TestTenant tenant) =>
        app.Host.GetJsonAsync<List<ClientCardTests.Card>>("/api/leads?status=open", tenant.EmployeeToken(3));

    /// <summary>Sends the notifications and waits until every message they caused has been handled.</summary>
    private async Task NotifyAndSettleAsync(Scenarios.TestTenant tenant, params string[] queries)
    {
        var client = app.Host.Server.CreateClient();
        await app.Host.TrackActivity().Timeout(TimeSpan.FromSeconds(30)).IncludeExternalTransports().DoNotAssertOnExceptionsDetected()
            .ExecuteAndWaitAsync((Func<Wolverine.IMessageContext, Task>)(async _ =>
            {
                var responses = await Task.WhenAll(queries.Select(q => client.GetAsync($"{tenant.HookPath}?{q}")));
                responses.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.OK);
            }));
    }

    [Fact]
    public async Task An_incoming_call_from_an_unknown_number_becomes_an_open_lead_with_its_source()
    {
        var tenant = await app.Host.CreateTenantAsync();
        var session = Scenarios.NewSession();
        await NotifyAndSettleAsync(tenant, Scenarios.IncomingStart(session, client: "79161230001"));

        var lead = (await OpenLeadsAsync(tenant)).Should().ContainSingle().Subject;
        lead.Kind.Should().Be("lead");
        lead.Phones.Should().Equal("+79161230001");
        var card = await app.Host.GetJsonAsync<System.Text.Json.JsonElement>($"/api/clients/{lead.Id}", tenant.EmployeeToken(3));
        card.GetProperty("source").GetString().Should().Be("incoming-call");
    }

    [Fact]
    public async Task Repeated_and_simultaneous_first_calls_from_one_number_make_one_lead()
    {
        var tenant = await app.Host.CreateTenantAsync();
        var queries = Enumerable.Range(0, 6).Select(_ => Scenarios.NewSession())
            .SelectMany(s => new[] { Scenarios.IncomingStart(s, client: "79161230002"), Scenarios.End(s, talk: 0, client: "79161230002") })
            .ToArray();
        await NotifyAndSettleAsync(tenant, queries);
        await NotifyAndSettleAsync(tenant, Scenarios.IncomingStart(Scenarios.NewSession(), client: "8 916 123-00-02"));

        (await OpenLeadsAsync(tenant)).Should().ContainSingle().Which.Phones.Should().Equal("+79161230002");
    }

    [Fact]
    public async Task Known_numbers_outgoing_calls_and_hidden_numbers_make_no_lead()
    {
        var tenant = await app.Host.CreateTenantAsync();
        await app.Host.Scenario(s =>
        {
            s.Post.Json(new { name = "Клиент", phones = new[] { "+79161230003" } }).ToUrl("/api/clients");
            s.WithBearerToken(tenant.EmployeeToken(3));
            s.StatusCodeShouldBe(201);
        });
        await NotifyAndSettleAsync(tenant,
            Scenarios.IncomingStart(Scenarios.NewSession(), client: "79161230003"),
            Scenarios.OutgoingStart(Scenarios.NewSession(), "79160000007", client: "79161230004"),
            Scenarios.IncomingStart(Scenarios.NewSession(), client: "anonymous"),
            Scenarios.IncomingStart(Scenarios.NewSession(), client: "null"));

        (await OpenLeadsAsync(tenant)).Should().BeEmpty();
        (await app.Host.GetJsonAsync<CallPage>("/api/calls", tenant.EmployeeToken(3))).Items.Should().HaveCount(4);
    }

    [Fact]
    public async Task A_converted_lead_is_a_client_and_the_next_call_makes_no_new_lead()
    {
        var tenant = await app.Host.CreateTenantAsync();
        await NotifyAndSettleAsync(tenant, Scenarios.IncomingStart(Scenarios.NewSession(), client: "79161230005"));
        var lead = (await OpenLeadsAsync(tenant)).Single();
        await app.Host.Scenario(s =>
        {
            s.Post.Json(new { name = "Стал клиентом" }).ToUrl($"/api/leads/{lead.Id}/convert");
            s.WithBearerToken(tenant.EmployeeToken(3));
            s.StatusCodeShouldBe(204);
        });
        await NotifyAndSettleAsync(tenant, Scenarios.IncomingStart(Scenarios.NewSession(), client: "79161230005"));

        (await OpenLeadsAsync(tenant)).Should().BeEmpty();
        var card = await app.Host.GetJsonAsync<ClientCardTests.Card>($"/api/clients/{lead.Id}", tenant.EmployeeToken(3));
        card.Kind.Should().Be("client");
        card.Name.Should().Be("Стал клиентом");
    }

    [Fact]
    public async Task Another_tenants_calls_never_touch_this_tenants_leads()
    {
        var a = await app.Host.CreateTenantAsync();
        var b = await app.Host.CreateTenantAsync();
        await NotifyAndSettleAsync(a, Scenarios.IncomingStart(Scenarios.NewSession(), client: "79161230006"));
        (await OpenLeadsAsync(a)).Should().ContainSingle();
        (await OpenLeadsAsync(b)).Should().BeEmpty();
    }
}
