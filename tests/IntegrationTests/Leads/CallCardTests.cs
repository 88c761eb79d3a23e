using Alba;
using Microsoft.Extensions.DependencyInjection;
using Leads.Contracts;
using CallStream = global::Calls.Call;
using IntegrationTests.Infrastructure;

namespace IntegrationTests.Leads;

/// <summary>Calls find their card: a lead for an unknown caller, the existing card otherwise, and the card's call facts.</summary>
[Collection(AppCollection.Name)]
public sealed class CallCardTests(AppFixture app)
{
    public sealed record CardCall(Guid CallId, string? Direction, string Status, DateTimeOffset At);
    public sealed record Card(Guid Id, string Kind, string? Name, List<string> Phones, DateTimeOffset FirstContactAt, string? Source,
        CardCall? LastCall, int CallCount, int MissedCount, List<CardCall> RecentCalls);
    public sealed record Search(List<Card> Items, bool Ambiguous);

    private Task<CallView> CallAsync(Scenarios.TestTenant tenant, long session, Func<CallView, bool> done) =>
        Eventually.Async(() => app.Host.GetJsonAsync<CallView>($"/api/calls/{CallStream.IdForUisSession(session)}", tenant.AdminToken), done);

    private Task<Card> CardAsync(Scenarios.TestTenant tenant, Guid id, Func<Card, bool> done) =>
        Eventually.Async(() => app.Host.GetJsonAsync<Card>($"/api/clients/{id}", tenant.AdminToken), done);

    private Task<Search> FindAsync(Scenarios.TestTenant tenant, string phone) =>
        app.Host.GetJsonAsync<Search>($"/api/clients?phone={Uri.EscapeDataString(phone)}", tenant.AdminToken);

    private async Task<Guid> RegisterClientAsync(Scenarios.TestTenant tenant, string phone, int? manager = null)
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { name = "ООО Клиент", phones = new[] { phone }, personalManagerId = manager }).ToUrl("/api/clients");
            s.WithBearerToken(tenant.AdminToken);
            s.StatusCodeShouldBe(201);
        });
        return (await result.ReadAsJsonAsync<Card>())!.Id;
    }

    [Fact]
    public async Task An_unknown_caller_becomes_an_open_lead_linked_to_the_call()
    {
        var tenant = await app.Host.CreateTenantAsync();
        var session = Scenarios.NewSession();
        await app.Host.NotifyAsync(tenant, Scenarios.IncomingStart(session, client: "79261110001"));

        var call = await CallAsync(tenant, session, c => c.ClientId is not null);
        var lead = await CardAsync(tenant, call.ClientId!.Value, c => c.CallCount == 1);
        lead.Kind.Should().Be("lead");
        lead.Source.Should().Be("incoming-call");
        lead.Phones.Should().Equal("+79261110001");
        lead.FirstContactAt.Should().Be(call.StartedAt);
        lead.LastCall.Should().Be(new CardCall(call.Id, "in", "in-progress", call.StartedAt));

        var open = await app.Host.GetJsonAsync<List<Card>>("/api/leads?status=open", tenant.AdminToken);
        open.Select(c => c.Id).Should().Equal(lead.Id);
    }

    [Fact]
    public async Task Repeated_and_simultaneous_first_calls_from_one_number_make_one_lead()
    {
        var tenant = await app.Host.CreateTenantAsync();
        var sessions = Enumerable.Range(0, 6).Select(_ => Scenarios.NewSession()).ToList();
        // Every call twice, all at once, the number written three ways.
        var formats = new[] { "79261110002", "89261110002", "%2B7%20926%20111-00-02" };
        await Task.WhenAll(sessions.Concat(sessions).Select((s, i) => app.Host.NotifyAsync(tenant, Scenarios.IncomingStart(s, client: formats[i % 3]))));

        var calls = new List<CallView>();
        foreach (var session in sessions) calls.Add(await CallAsync(tenant, session, c => c.ClientId is not null));
        calls.Select(c => c.ClientId).Distinct().Should().ContainSingle("every call from the number joins the same lead");

        var found = await FindAsync(tenant, "8 (926) 111-00-02");
        found.Ambiguous.Should().BeFalse();
        (await CardAsync(tenant, found.Items.Single().Id, c => c.CallCount == sessions.Count)).RecentCalls.Should().HaveCount(sessions.Count);
    }

    [Fact]
    public async Task A_call_from_a_client_joins_the_card_and_the_card_counts_missed_calls_until_one_is_answered()
    {
        var tenant = await app.Host.CreateTenantAsync();
        var clientId = await RegisterClientAsync(tenant, "8 (926) 111-00-03");

        var missed = new[] { Scenarios.NewSession(), Scenarios.NewSession() };
        foreach (var session in missed)
        {
            await app.Host.NotifyAsync(tenant, Scenarios.IncomingStart(session, client: "79261110003"));
            await app.Host.NotifyAsync(tenant, Scenarios.End(session, talk: 0, client: "79261110003"));
        }
        var card = await CardAsync(tenant, clientId, c => c.MissedCount == 2);
        card.Kind.Should().Be("client");
        card.CallCount.Should().Be(2);
        card.RecentCalls.Select(c => c.CallId).Should().Equal(missed.Reverse().Select(CallStream.IdForUisSession), "newest first");
        card.RecentCalls.Should().OnlyContain(c => c.Status == "missed");
        (await CallAsync(tenant, missed[0], c => c.ClientId is not null)).ClientId.Should().Be(clientId);

        var answered = Scenarios.NewSession();
        await app.Host.NotifyAsync(tenant, Scenarios.IncomingStart(answered, client: "79261110003"));
        await app.Host.NotifyAsync(tenant, Scenarios.End(answered, talk: 40, client: "79261110003"));
        card = await CardAsync(tenant, clientId, c => c.LastCall?.Status == "answered");
        card.MissedCount.Should().Be(0);
        card.CallCount.Should().Be(3);
        card.LastCall!.CallId.Should().Be(CallStream.IdForUisSession(answered));
        (await FindAsync(tenant, "79261110003")).Items.Should().ContainSingle("a known caller makes no lead");
    }

    [Fact]
    public async Task An_end_that_arrives_before_the_start_still_links_the_call_once()
    {
        var tenant = await app.Host.CreateTenantAsync();
        var clientId = await RegisterClientAsync(tenant, "+79261110004");
        var session = Scenarios.NewSession();
        await app.Host.NotifyAsync(tenant, Scenarios.End(session, talk: 0, client: "79261110004"));
        await app.Host.NotifyAsync(tenant, Scenarios.IncomingStart(session, client: "79261110004"));

        var card = await CardAsync(tenant, clientId, c => c.MissedCount == 1);
        (await CallAsync(tenant, session, c => c.ClientId is not null)).ClientId.Should().Be(clientId);
        card.CallCount.Should().Be(1);
        card.LastCall!.Status.Should().Be("missed");
    }

    [Fact]
    public async Task Outgoing_calls_join_a_known_card_but_never_make_a_lead()
    {
        var tenant = await app.Host.CreateTenantAsync();
        await app.Host.PutEmployeeAsync(tenant, 5, "+79160000005");
        var clientId = await RegisterClientAsync(tenant, "+79261110005");
        var toClient = Scenarios.NewSession();
        var toStranger = Scenarios.NewSession();
        await app.Host.NotifyAsync(tenant, Scenarios.OutgoingStart(toClient, "79160000005", client: "79261110005"));
        await app.Host.NotifyAsync(tenant, Scenarios.OutgoingStart(toStranger, "79160000005", client: "79261119999"));
        await app.Host.NotifyAsync(tenant, Scenarios.End(toStranger, direction: "out", talk: 0, client: "79261119999"));

        (await CallAsync(tenant, toClient, c => c.ClientId is not null)).ClientId.Should().Be(clientId);
        (await CardAsync(tenant, clientId, c => c.CallCount == 1)).LastCall!.Direction.Should().Be("out");
        await LeadsHaveSeenAsync(tenant, toStranger);
        (await app.Host.GetJsonAsync<CallView>($"/api/calls/{CallStream.IdForUisSession(toStranger)}", tenant.AdminToken)).ClientId.Should().BeNull();
        (await FindAsync(tenant, "79261119999")).Items.Should().BeEmpty();
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("")]
    [InlineData("null")]
    public async Task Hidden_numbers_make_no_lead_but_the_call_is_in_the_history(string client)
    {
        var tenant = await app.Host.CreateTenantAsync();
        var session = Scenarios.NewSession();
        await app.Host.NotifyAsync(tenant, $"event=call_start&direction=%22in%22&line_number=74993720692&client_number={client}&call_hash={session}");
        await app.Host.NotifyAsync(tenant, Scenarios.End(session, talk: 0, client: client));

        await LeadsHaveSeenAsync(tenant, session);
        var call = await app.Host.GetJsonAsync<CallView>($"/api/calls/{CallStream.IdForUisSession(session)}", tenant.AdminToken);
        call.Status.Should().Be("missed");
        call.ClientId.Should().BeNull();
        (await app.Host.GetJsonAsync<List<Card>>("/api/leads?status=open", tenant.AdminToken)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_call_in_one_account_never_touches_another_accounts_card()
    {
        var mine = await app.Host.CreateTenantAsync();
        var other = await app.Host.CreateTenantAsync();
        var clientId = await RegisterClientAsync(mine, "+79261110006");
        var session = Scenarios.NewSession();
        await app.Host.NotifyAsync(other, Scenarios.IncomingStart(session, client: "79261110006"));

        var call = await CallAsync(other, session, c => c.ClientId is not null);
        call.ClientId.Should().NotBe(clientId, "the other account has no such client: its caller is a new lead there");
        (await app.Host.GetJsonAsync<Card>($"/api/clients/{clientId}", mine.AdminToken)).CallCount.Should().Be(0);
        await app.Host.Scenario(s =>
        {
            s.Get.Url($"/api/clients/{call.ClientId}");
            s.WithBearerToken(mine.AdminToken);
            s.StatusCodeShouldBe(404);
        });
    }

    /// <summary>
    /// A marker call from a fresh number, sent last: once its lead exists, Leads has handled every
    /// earlier notification of the tenant (its queue is in order).
    /// </summary>
    [Fact]
    public async Task The_same_number_calling_two_accounts_at_once_makes_a_lead_in_each()
    {
        var first = await app.Host.CreateTenantAsync();
        var second = await app.Host.CreateTenantAsync();
        var sessions = Enumerable.Range(0, 8).Select(_ => Scenarios.NewSession()).ToList();
        await Task.WhenAll(sessions.Select((s, i) => app.Host.NotifyAsync(i % 2 == 0 ? first : second, Scenarios.IncomingStart(s, client: "79261110008"))));

        foreach (var (tenant, mine) in new[] { (first, sessions.Where((_, i) => i % 2 == 0)), (second, sessions.Where((_, i) => i % 2 == 1)) })
        {
            var calls = new List<CallView>();
            foreach (var session in mine) calls.Add(await CallAsync(tenant, session, c => c.ClientId is not null));
            var lead = (await FindAsync(tenant, "+79261110008")).Items.Should().ContainSingle().Subject;
            calls.Should().OnlyContain(c => c.ClientId == lead.Id, "each account's calls join that account's lead");
            (await CardAsync(tenant, lead.Id, c => c.CallCount == 4)).CallCount.Should().Be(4);
        }
    }

    [Fact]
    public async Task Calls_and_card_edits_racing_on_one_client_leave_the_card_equal_to_its_events()
    {
        var tenant = await app.Host.CreateTenantAsync();
        var clientId = await RegisterClientAsync(tenant, "+79261110009");
        var sessions = Enumerable.Range(0, 10).Select(_ => Scenarios.NewSession()).ToList();
        var calls = sessions.Select(async session =>
        {
            await app.Host.NotifyAsync(tenant, Scenarios.IncomingStart(session, client: "79261110009"));
            await app.Host.NotifyAsync(tenant, Scenarios.End(session, talk: 0, client: "79261110009"));
        });
        var edits = Enumerable.Range(1, 10).Select(async manager =>
        {
            // An edit that loses the race to a call is refused (409) rather than lost; the CRM retries.
            for (var attempt = 0; attempt < 20; attempt++)
            {
                var result = await app.Host.Scenario(s =>
                {
                    s.Put.Json(new { employeeId = manager }).ToUrl($"/api/clients/{clientId}/personal-manager");
                    s.WithBearerToken(tenant.AdminToken);
                    s.IgnoreStatusCode();
                });
                if (result.Context.Response.StatusCode == 204) return;
            }
        });
        await Task.WhenAll(calls.Concat(edits));

        var card = await CardAsync(tenant, clientId, c => c.MissedCount == sessions.Count);
        await using var query = app.Store.QuerySession(tenant.Id);
        var events = (await query.Events.FetchStreamAsync(clientId)).Select(e => e.Data).ToList();
        card.CallCount.Should().Be(events.OfType<global::Leads.CallLinkedToPerson>().Count()).And.Be(sessions.Count);
        var lastManager = events.OfType<global::Leads.PersonalManagerAssigned>().LastOrDefault()?.EmployeeId;
        (await app.Host.GetJsonAsync<System.Text.Json.JsonElement>($"/api/clients/{clientId}", tenant.AdminToken))
            .GetProperty("personalManager").GetProperty("employeeId").GetInt32().Should().Be(lastManager!.Value);
    }

    [Fact]
    public async Task A_call_activity_delivered_again_changes_nothing()
    {
        var tenant = await app.Host.CreateTenantAsync();
        var clientId = await RegisterClientAsync(tenant, "+79261110011");
        var session = Scenarios.NewSession();
        await app.Host.NotifyAsync(tenant, Scenarios.IncomingStart(session, client: "79261110011"));
        await app.Host.NotifyAsync(tenant, Scenarios.End(session, talk: 0, client: "79261110011"));
        var card = await CardAsync(tenant, clientId, c => c.MissedCount == 1);

        // What Wolverine would deliver again after a crash between Leads' commit and the message's completion.
        var callId = CallStream.IdForUisSession(session);
        var again = new global::Calls.Contracts.CallActivity([
            new(callId, session, "in", "+79261110011", "+74993720692", null, card.LastCall!.At, Began: true, EndedStatus: null),
            new(callId, session, "in", "+79261110011", "+74993720692", null, card.LastCall!.At, Began: false, EndedStatus: "missed"),
        ]);
        var bus = app.Host.Services.GetRequiredService<Wolverine.IMessageBus>();
        await bus.InvokeForTenantAsync(tenant.Id, new[] { again });

        var after = await app.Host.GetJsonAsync<Card>($"/api/clients/{clientId}", tenant.AdminToken);
        after.CallCount.Should().Be(1);
        after.MissedCount.Should().Be(1);
    }

    /// <summary>Waits until Leads has linked (or decided not to link) these calls: their <see cref="LinkedCall"/> exists.</summary>
    private async Task LeadsHaveSeenAsync(Scenarios.TestTenant tenant, params long[] sessions)
    {
        await using var query = app.Store.QuerySession(tenant.Id);
        var ids = sessions.Select(CallStream.IdForUisSession).ToArray();
        await Eventually.Async(async () => (await query.LoadManyAsync<LinkedCall>(ids)).Count, count => count == ids.Length);
    }
}
