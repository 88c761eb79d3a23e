using Calls;
using Calls.CallHistory;
using Calls.Uis;

namespace UnitTests.Calls;

public sealed class CallDecisionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private const long Session = 4821870777;
    private static readonly Guid Id = Call.IdForUisSession(Session);

    private static UisCallFacts Facts(string? employee = null, int? employeeId = null) => new(Session, "in",
        UisNumber.Phone("74993720692"), UisNumber.Phone("79508418541"), UisNumber.Employee(employee), employeeId);

    private static RecordCallEnded End(int talk, params string[] links) => new(Id, Facts("79161234567", 7), talk, links, T0.AddSeconds(30));

    private static Call Fold(params object[] events) => events.Aggregate((Call?)null, Call.Advance)!;

    [Fact]
    public void Other_modules_hear_when_a_call_begins_and_when_it_ends_and_nothing_else()
    {
        var started = new CallStarted(Id, Facts(), T0);
        var began = Call.Change(null, Fold(started), [started])!;
        began.Should().BeEquivalentTo(new { CallId = Id, UisCallSessionId = Session, Direction = "in", ClientPhone = "+79508418541",
            Line = "+74993720692", Began = true, EndedStatus = (string?)null, At = T0 });

        var ended = new CallEnded(Id, Facts("79161234567", 7), 0, T0.AddSeconds(30));
        var end = Call.Change(Fold(started), Fold(started, ended), [ended])!;
        end.Should().BeEquivalentTo(new { Began = false, EndedStatus = "missed", EmployeeId = 7, At = T0 });

        var attached = new CallRecordingsAttached(Id, ["a"]);
        Call.Change(Fold(started, ended), Fold(started, ended, attached), [attached]).Should().BeNull();
        Call.Change(Fold(started), Fold(started), []).Should().BeNull();

        var endFirst = Call.Change(null, Fold(ended), [ended])!;
        endFirst.Should().BeEquivalentTo(new { Began = true, EndedStatus = "missed", Direction = "in" });
    }

    [Fact]
    public void A_start_is_recorded_once()
    {
        var command = new RecordCallStarted(Id, Facts(), T0);
        RecordCallStartedHandler.Decide(command, command.Facts, null).Should().ContainSingle().Which.Should().BeOfType<CallStarted>();
        RecordCallStartedHandler.Decide(command, command.Facts, Fold(new CallStarted(Id, Facts(), T0))).Should().BeEmpty();
        RecordCallStartedHandler.Decide(command, command.Facts, Fold(new CallEnded(Id, Facts(), 0, T0))).Should().ContainSingle();
    }

    [Fact]
    public void An_end_is_recorded_once_and_only_new_recordings_are_attached()
    {
        var first = End(12, "a", "b");
        RecordCallEndedHandler.Decide(first, first.Facts, null).Select(e => e.GetType())
            .Should().Equal(typeof(CallEnded), typeof(CallRecordingsAttached));

        var again = End(12, "a", "b", "c", "c");
        var events = RecordCallEndedHandler.Decide(again, again.Facts, Fold(new CallStarted(Id, Facts(), T0), new CallEnded(Id, Facts(), 12, T0), new CallRecordingsAttached(Id, ["a", "b"]))).ToList();
        events.Should().ContainSingle().Which.Should().BeEquivalentTo(new CallRecordingsAttached(Id, ["c"]));
        RecordCallEndedHandler.Decide(first, first.Facts, Fold(new CallStarted(Id, Facts(), T0), new CallEnded(Id, Facts(), 12, T0), new CallRecordingsAttached(Id, ["a", "b"]))).Should().BeEmpty();
    }

    [Theory]
    [InlineData("in", 12, "answered")]
    [InlineData("in", 0, "missed")]
    [InlineData(null, 0, "missed")]
    [InlineData("out", 0, "unanswered")]
    [InlineData("out", 3, "answered")]
    public void The_end_decides_the_status(string? direction, int talk, string status)
    {
        var ended = new CallEnded(Id, Facts() with { Direction = direction }, talk, T0);
        CallHistoryEntryProjection.Create(ended).Status.Should().Be(status);
    }

    [Fact]
    public void The_history_entry_is_the_same_whatever_order_the_notifications_came_in()
    {
        var started = new CallStarted(Id, Facts(), T0);
        var ended = new CallEnded(Id, Facts("79161234567", 7), 12, T0.AddSeconds(30));
        var attached = new CallRecordingsAttached(Id, ["a"]);

        var usual = CallHistoryEntryProjection.Apply(attached, CallHistoryEntryProjection.Apply(ended, CallHistoryEntryProjection.Create(started)));
        var lateStart = started with { ReceivedAt = T0.AddSeconds(31) };
        var reversed = CallHistoryEntryProjection.Apply(lateStart, CallHistoryEntryProjection.Apply(attached, CallHistoryEntryProjection.Create(ended)));

        reversed.Should().BeEquivalentTo(usual, o => o.Excluding(e => e.StartedAt).Excluding(e => e.SortKey));
        usual.Status.Should().Be("answered");
        usual.EmployeeId.Should().Be(7);
        usual.StartedAt.Should().Be(T0);
        reversed.StartedAt.Should().Be(T0.AddSeconds(30), "a late start does not move the call after its end");
    }
}
