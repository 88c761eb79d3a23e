using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Alba;
using IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using UisSimulator;

namespace IntegrationTests.Calls;

/// <summary>Recordings (issue 6): archived from UIS's links, played with ranges, and links from webhook input never trusted.</summary>
[Collection(AppCollection.Name)]
public sealed class RecordingTests(AppFixture app)
{
    private string Media(string name) => new Uri(app.Uis.State.MediaBase!, name).ToString();

    /// <summary>An answered call whose end carries these recording links; its history row once each recording is no longer pending.</summary>
    private async Task<(Scenarios.TestTenant Tenant, CallView Call)> CallWithRecordingsAsync(params string[] links)
    {
        var tenant = await app.Host.CreateTenantAsync();
        var session = Scenarios.NewSession();
        await app.Host.NotifyAsync(tenant, Scenarios.IncomingStart(session));
        await app.Host.NotifyAsync(tenant, Scenarios.End(session, talk: 30, recordLinks: JsonSerializer.Serialize(links)));
        var call = await Eventually.Async(async () => (await app.Host.GetJsonAsync<CallPage>("/api/calls", tenant.AdminToken)).Items.Single(),
            c => c.Recordings.Count == links.Length && c.Recordings.All(r => r.Status != "pending"));
        return (tenant, call);
    }

    private async Task<HttpResponseMessage> PlayAsync(Scenarios.TestTenant tenant, Guid callId, int n, string? range = null, bool tokenInQuery = false)
    {
        var client = app.Host.Server.CreateClient();
        var url = $"/api/calls/{callId}/recordings/{n}";
        if (tokenInQuery) url += "?access_token=" + tenant.EmployeeToken(5);
        else client.DefaultRequestHeaders.Authorization = new("Bearer", tenant.EmployeeToken(5));
        if (range is not null) client.DefaultRequestHeaders.Range = RangeHeaderValue.Parse(range);
        return await client.GetAsync(url);
    }

    [Fact]
    public async Task A_recording_is_archived_and_played_with_range_requests()
    {
        var name = $"{Scenarios.NewSession()}.wav";
        var (tenant, call) = await CallWithRecordingsAsync(Media(name));
        var recording = call.Recordings.Single();
        recording.Should().Match<RecordingView>(r => r.N == 1 && r.Status == "archived" && r.Url == $"/api/calls/{call.Id}/recordings/1"
            && r.DurationSeconds == 1, "the simulator's recording is one second of WAV");
        JsonSerializer.Serialize(call).Should().NotContain("localhost", "the UIS link is never returned");
        var source = Playback.Recording();

        var part = await PlayAsync(tenant, call.Id, 1, "bytes=100-299");
        part.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        part.Headers.AcceptRanges.Should().Contain("bytes");
        part.Content.Headers.ContentRange!.ToString().Should().Be($"bytes 100-299/{source.Length}");
        part.Content.Headers.ContentType!.MediaType.Should().Be("audio/wav");
        (await part.Content.ReadAsByteArrayAsync()).Should().Equal(source[100..300]);

        var whole = await PlayAsync(tenant, call.Id, 1, tokenInQuery: true);
        whole.StatusCode.Should().Be(HttpStatusCode.OK, "an <audio> element passes the token in the query");
        (await whole.Content.ReadAsByteArrayAsync()).Should().Equal(source);

        var mediaRequests = app.Uis.State.MediaRequests.Count(r => r.EndsWith(name));
        (await PlayAsync(tenant, call.Id, 1)).StatusCode.Should().Be(HttpStatusCode.OK);
        app.Uis.State.MediaRequests.Count(r => r.EndsWith(name)).Should().Be(mediaRequests, "an archived recording is played from storage");

        // The caller's card (a new lead) shows the recording on its recent call.
        var card = await Eventually.Async(() => app.Host.GetJsonAsync<JsonElement>("/api/clients?phone=79508418541", tenant.AdminToken),
            found => found.GetProperty("items").GetArrayLength() == 1 && found.GetProperty("items")[0].GetProperty("recentCalls").GetArrayLength() == 1);
        var onCard = card.GetProperty("items")[0].GetProperty("recentCalls")[0].GetProperty("recordings").EnumerateArray().Single();
        (onCard.GetProperty("n").GetInt32(), onCard.GetProperty("status").GetString(), onCard.GetProperty("url").GetString())
            .Should().Be((1, "archived", recording.Url));

        var other = await app.Host.CreateTenantAsync();
        (await PlayAsync(other, call.Id, 1)).StatusCode.Should().Be(HttpStatusCode.NotFound, "another account's call");
        (await PlayAsync(tenant, call.Id, 2)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_link_UIS_answers_404_for_is_expired()
    {
        var name = $"{Scenarios.NewSession()}.wav";
        app.Uis.State.ExpiredMedia[name] = true;
        var (tenant, call) = await CallWithRecordingsAsync(Media(name));
        call.Recordings.Single().Status.Should().Be("expired");
        var played = await PlayAsync(tenant, call.Id, 1);
        played.StatusCode.Should().Be(HttpStatusCode.Gone);
        played.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task A_download_that_keeps_failing_is_retried_then_recorded_as_failed()
    {
        var name = $"{Scenarios.NewSession()}.wav";
        app.Uis.State.MediaFaults[name] = _ => Results.StatusCode(503);
        var (tenant, call) = await CallWithRecordingsAsync(Media(name));
        call.Recordings.Single().Status.Should().Be("failed");
        app.Uis.State.MediaRequests.Count(r => r.EndsWith(name)).Should().Be(3, "one attempt and the two configured retries");
        (await PlayAsync(tenant, call.Id, 1)).StatusCode.Should().Be(HttpStatusCode.BadGateway);
    }

    [Fact]
    public async Task A_body_that_trickles_in_past_the_time_limit_is_cut_off_and_ends_failed()
    {
        var name = $"{Scenarios.NewSession()}.wav";
        app.Uis.State.MediaFaults[name] = context =>
        {
            context.Response.ContentLength = 1_000;
            return Results.Stream(async body =>
            {
                for (var i = 0; i < 1_000; i++)
                {
                    await body.WriteAsync(new byte[1], context.RequestAborted);
                    await body.FlushAsync(context.RequestAborted);
                    await Task.Delay(TimeSpan.FromSeconds(1), context.RequestAborted);
                }
            }, "audio/wav");
        };
        var (_, call) = await CallWithRecordingsAsync(Media(name));
        call.Recordings.Single().Status.Should().Be("failed");
        app.Uis.State.MediaRequests.Count(r => r.EndsWith(name)).Should().Be(3, "each attempt was cut off by the download time limit (2 s here)");
    }

    [Fact]
    public async Task Links_that_break_the_rules_are_rejected_and_never_fetched()
    {
        await using var trap = await Simulator.StartAsync();
        var trapLink = $"https://127.0.0.1:{trap.State.MediaBase!.Port}/media/trap.wav";
        var redirect = $"{Scenarios.NewSession()}-redirect.wav";
        var oversized = $"{Scenarios.NewSession()}-oversized.wav";
        app.Uis.State.MediaFaults[redirect] = _ => Results.Redirect(trapLink);
        app.Uis.State.MediaFaults[oversized] = _ => Results.Bytes(new byte[AppFixture.MaxRecordingBytes + 1], "audio/wav");
        string[] evil =
        [
            $"http://127.0.0.1:{app.Uis.BaseUri.Port}/media/plain-http.wav",
            "https://169.254.169.254/latest/meta-data/",
            "file:///etc/passwd",
            trapLink,
            Media(redirect),
            Media(oversized),
        ];

        var (tenant, call) = await CallWithRecordingsAsync(evil);

        call.Recordings.Select(r => r.Status).Should().AllBe("rejected");
        trap.State.MediaRequests.Should().BeEmpty("neither the other host nor the redirect's target was fetched");
        app.Uis.State.MediaRequests.Should().NotContain(r => r.Contains("plain-http"));
        foreach (var recording in call.Recordings)
            (await PlayAsync(tenant, call.Id, recording.N)).StatusCode.Should().Be(HttpStatusCode.Gone);
        trap.State.MediaRequests.Should().BeEmpty("playback does not fetch them either");
    }

    [Fact]
    public async Task A_recording_not_archived_yet_is_played_straight_from_UIS_with_ranges()
    {
        var name = $"{Scenarios.NewSession()}.wav";
        var source = Playback.Recording();
        // The archiver (no Range header) is kept waiting; a player's request (with a range) is served.
        app.Uis.State.MediaFaults[name] = context => context.Request.Headers.Range.Count == 0
            ? Results.Stream(async _ => await Task.Delay(TimeSpan.FromSeconds(20), context.RequestAborted), "audio/wav")
            : Results.File(source, "audio/wav", enableRangeProcessing: true);
        var tenant = await app.Host.CreateTenantAsync();
        var session = Scenarios.NewSession();
        await app.Host.NotifyAsync(tenant, Scenarios.End(session, talk: 30, recordLinks: JsonSerializer.Serialize(new[] { Media(name) })));
        var call = (await app.Host.GetJsonAsync<CallPage>("/api/calls", tenant.AdminToken)).Items.Single();
        call.Recordings.Single().Status.Should().Be("pending");

        var part = await PlayAsync(tenant, call.Id, 1, "bytes=0-43");
        part.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        part.Content.Headers.ContentRange!.ToString().Should().Be($"bytes 0-43/{source.Length}");
        (await part.Content.ReadAsByteArrayAsync()).Should().Equal(source[..44]);
    }

    [Fact]
    public async Task Retention_removes_old_archived_recordings_and_keeps_a_file_another_call_still_plays()
    {
        // Every simulated recording has the same bytes, so both calls' archives are one file.
        var (keeping, kept) = await CallWithRecordingsAsync(Media($"{Scenarios.NewSession()}.wav"));
        var unique = $"{Scenarios.NewSession()}-unique.wav";
        app.Uis.State.MediaFaults[unique] = _ => Results.File(Guid.NewGuid().ToByteArray(), "audio/wav");
        var (tenant, call) = await CallWithRecordingsAsync(Media($"{Scenarios.NewSession()}.wav"), Media(unique));
        var files = app.Host.Services.GetRequiredService<global::Calls.Recordings.IRecordingStore>();
        var uniqueFile = (await app.Host.GetJsonAsync<JsonElement>($"/api/calls/{call.Id}", tenant.AdminToken))
            .GetProperty("recordings")[1].GetProperty("sha256").GetString()!;
        files.OpenRead(uniqueFile).Should().NotBeNull().And.Subject!.Dispose();
        await app.Host.Scenario(s =>
        {
            s.Put.Json(new { retentionDays = -1 }).ToUrl("/api/settings/recordings");
            s.WithBearerToken(tenant.AdminToken);
            s.StatusCodeShouldBe(400);
        });
        await app.Host.PutAsAdminAsync(tenant, "/api/settings/recordings", new { retentionDays = 0 });

        var retention = app.Host.Services.GetRequiredService<global::Calls.Recordings.RecordingRetention>();
        (await retention.RunOnceAsync(CancellationToken.None)).Should().BeGreaterThanOrEqualTo(2);

        var after = (await app.Host.GetJsonAsync<CallPage>("/api/calls", tenant.AdminToken)).Items.Single();
        after.Recordings.Select(r => r.Status).Should().Equal("deleted", "deleted");
        files.OpenRead(uniqueFile).Should().BeNull("no other recording has that content");
        (await PlayAsync(tenant, call.Id, 1)).StatusCode.Should().Be(HttpStatusCode.Gone);
        (await app.Host.GetJsonAsync<CallPage>("/api/calls", keeping.AdminToken)).Items.Single().Recordings.Single().Status.Should().Be("archived");
        var stillPlays = await PlayAsync(keeping, kept.Id, 1);
        stillPlays.StatusCode.Should().Be(HttpStatusCode.OK, "the other account's call still has the file");
        (await stillPlays.Content.ReadAsByteArrayAsync()).Should().Equal(Playback.Recording());
    }
}
