using System.Net;
using Alba;
using Calls;
using Calls.Uis;
using IntegrationTests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace IntegrationTests.Calls;

/// <summary>Notifications that arrive together are written together; none is lost, none doubled, no tenant mixed up.</summary>
[Collection(AppCollection.Name)]
public sealed class GroupCommitTests(AppFixture app)
{
    private async Task<List<string>> EventTypesAsync(string tenant, long session)
    {
        await using var query = app.Store.QuerySession(tenant);
        return (await query.Events.FetchStreamAsync(Call.IdForUisSession(session))).Select(e => e.EventTypeName).ToList();
    }

    [Fact]
    public async Task Starts_ends_and_duplicates_of_many_calls_in_two_accounts_arriving_together_all_land_once()
    {
        var a = await app.Host.CreateTenantAsync();
        var b = await app.Host.CreateTenantAsync();
        var sessions = Enumerable.Range(0, 10).Select(_ => Scenarios.NewSession()).ToList();
        var client = app.Host.Server.CreateClient();
        var requests = from tenant in new[] { a, b }
                       from session in sessions
                       from query in new[] { Scenarios.IncomingStart(session), Scenarios.End(session, talk: tenant == a ? 7 : 0) }
                       from copy in new[] { 1, 2 }
                       select client.GetAsync($"{tenant.HookPath}?{query}");
        var responses = await Task.WhenAll(requests.OrderBy(_ => Random.Shared.Next()));
        responses.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.OK);

        foreach (var session in sessions)
        {
            (await EventTypesAsync(a.Id, session)).Should().BeEquivalentTo("call_started", "call_ended");
            (await EventTypesAsync(b.Id, session)).Should().BeEquivalentTo("call_started", "call_ended");
        }
        var callsOfA = (await app.Host.GetJsonAsync<CallPage>("/api/calls?limit=100", a.AdminToken)).Items;
        var callsOfB = (await app.Host.GetJsonAsync<CallPage>("/api/calls?limit=100", b.AdminToken)).Items;
        callsOfA.Should().HaveCount(10).And.OnlyContain(c => c.Status == "answered" && c.TalkSeconds == 7);
        callsOfB.Should().HaveCount(10).And.OnlyContain(c => c.Status == "missed");
    }

    [Fact]
    public async Task A_batch_that_loses_a_race_for_a_stream_falls_back_and_still_records_once()
    {
        var tenant = await app.Host.CreateTenantAsync();
        var client = app.Host.Server.CreateClient();
        for (var round = 0; round < 5; round++)
        {
            var session = Scenarios.NewSession();
            var parsed = UisNotification.Parse(BuildingBlocks.Uis.UisRequestFields.Parse(Scenarios.IncomingStart(session)), DateTimeOffset.UtcNow);
            // The one-by-one handler path (what another node or the fallback runs) races the batch writer.
            var direct = Enumerable.Range(0, 4).Select(async _ =>
            {
                await using var scope = app.Host.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeForTenantAsync(tenant.Id, parsed.Command!);
            });
            var viaHook = Enumerable.Range(0, 4).Select(async _ =>
                (await client.GetAsync($"{tenant.HookPath}?{Scenarios.IncomingStart(session)}")).StatusCode.Should().Be(HttpStatusCode.OK));
            await Task.WhenAll(direct.Concat(viaHook));

            (await EventTypesAsync(tenant.Id, session)).Should().Equal("call_started");
        }
    }
}
