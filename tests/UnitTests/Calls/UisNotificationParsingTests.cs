using BuildingBlocks.Uis;
using Calls;
using Calls.Uis;

namespace UnitTests.Calls;

public sealed class UisNotificationParsingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    private static UisNotification.Parsed Parse(string query) => UisNotification.Parse(UisRequestFields.Parse(query), Now);

    [Fact]
    public void An_incoming_call_start_before_anyone_answered()
    {
        var parsed = Parse("event=call_start&direction=%22in%22&line_number=74993720692&client_number=%2279508418541%22&call_hash=4821870777&extension={{employee_phone_number}}");
        var command = parsed.Command.Should().BeOfType<RecordCallStarted>().Subject;
        command.CallId.Should().Be(Call.IdForUisSession(4821870777));
        command.Facts.UisCallSessionId.Should().Be(4821870777);
        command.Facts.Direction.Should().Be("in");
        command.Facts.Line.Should().Be(new UisNumber("74993720692", "+74993720692"));
        command.Facts.Client.Should().Be(new UisNumber("79508418541", "+79508418541"));
        command.Facts.Employee.Should().Be(new UisNumber(null, null));
        command.ReceivedAt.Should().Be(Now);
    }

    [Fact]
    public void A_call_end_with_talk_time_and_recordings()
    {
        var parsed = Parse("event=call_end&line_number=74993720692&client_number=79508418541&extension=%22sip%3Aivanov%40acme%22&call_hash=998677427&direction=%22out%22&talk_time_duration=12&record_links=%5B%22https%3A%2F%2Fmedia.uiscom.ru%2F1%2Fa%22%5D");
        var command = parsed.Command.Should().BeOfType<RecordCallEnded>().Subject;
        command.Facts.Direction.Should().Be("out");
        command.Facts.Employee.Should().Be(new UisNumber("sip:ivanov@acme", "sip:ivanov@acme"));
        command.TalkSeconds.Should().Be(12);
        command.RecordingLinks.Should().Equal("https://media.uiscom.ru/1/a");
    }

    [Fact]
    public void A_client_number_that_is_no_number_is_kept_raw()
    {
        var command = (RecordCallStarted)Parse("event=call_start&client_number=%22anonymous%22&call_hash=5").Command!;
        command.Facts.Client.Should().Be(new UisNumber("anonymous", null));
    }

    [Theory]
    [InlineData("event=call_start", "call_hash")]
    [InlineData("event=call_start&call_hash=0", "call_hash")]
    [InlineData("event=call_start&call_hash=-7", "call_hash")]
    [InlineData("event=call_start&call_hash=null", "call_hash")]
    [InlineData("event={{event}}&call_hash=5", "event")]
    [InlineData("event=redirect&call_hash=5", "redirect")]
    public void What_cannot_be_used_is_explained(string query, string explained)
    {
        var parsed = Parse(query);
        parsed.Command.Should().BeNull();
        parsed.Error.Should().Contain(explained);
    }

    [Fact]
    public void Session_ids_map_to_distinct_readable_stream_ids()
    {
        Call.IdForUisSession(4821870777).ToString().Should().EndWith("00011f67e8b9");
        Call.IdForUisSession(1).Should().NotBe(Call.IdForUisSession(2));
    }
}
