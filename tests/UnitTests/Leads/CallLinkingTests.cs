using BuildingBlocks.EmployeeEvents;
using Calls.Contracts;
using Leads;
using Leads.CallLinking;
using Leads.ClientCards;

namespace UnitTests.Leads;

public sealed class CallLinkingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid Person = Guid.CreateVersion7();

    private static CallChange Change(string? direction, int? employeeId = null, string? line = "+74993720692") =>
        new(Guid.NewGuid(), 1, direction, "+79261110001", line, employeeId, T0, Began: true, EndedStatus: null);

    private static ClientCard Card(string kind, DateTimeOffset firstContact, int? manager = null) =>
        new() { Id = Guid.NewGuid(), Kind = kind, FirstContactAt = firstContact, PersonalManagerId = manager };

    [Fact]
    public void A_shared_number_belongs_to_a_client_before_a_lead_then_to_the_oldest()
    {
        var oldLead = Card(PersonKind.Lead, T0.AddDays(-9));
        var newClient = Card(PersonKind.Client, T0.AddDays(-1));
        var oldClient = Card(PersonKind.Client, T0.AddDays(-5));
        LinkCallsToCardsHandler.CardOf([oldLead, newClient, oldClient]).Should().BeSameAs(oldClient);
        LinkCallsToCardsHandler.CardOf([]).Should().BeNull();
    }

    [Fact]
    public void The_pop_goes_to_the_manager_else_the_lines_employees_else_everyone_and_for_an_outgoing_call_to_the_caller()
    {
        var staff = new Dictionary<string, IReadOnlyList<int>> { ["+74993720692"] = [1, 2], ["+74950000000"] = [] };
        LinkCallsToCardsHandler.Recipients(Change("in"), Card(PersonKind.Client, T0, manager: 7), staff).Should().Equal(7);
        LinkCallsToCardsHandler.Recipients(Change("in"), Card(PersonKind.Lead, T0), staff).Should().Equal(1, 2);
        LinkCallsToCardsHandler.Recipients(Change("in"), null, staff).Should().Equal(1, 2);
        LinkCallsToCardsHandler.Recipients(Change("in", line: "+74950000000"), null, staff).Should().BeNull("an empty assignment means everyone");
        LinkCallsToCardsHandler.Recipients(Change("in", line: null), null, staff).Should().BeNull();
        LinkCallsToCardsHandler.Recipients(Change("out", employeeId: 4), Card(PersonKind.Client, T0, manager: 7), staff).Should().Equal(4);
        LinkCallsToCardsHandler.Recipients(Change("out"), null, staff).Should().BeEmpty("nobody is known to be calling");
    }

    [Fact]
    public void The_card_counts_missed_calls_since_the_last_answered_one_and_keeps_twenty_newest_first()
    {
        var card = ClientCardProjection.Create(new ClientRegistered(Person, "Иван", ["+79261110001"], null, T0));
        var calls = Enumerable.Range(0, 25).Select(i => (Id: Guid.NewGuid(), At: T0.AddMinutes(i))).ToList();
        foreach (var call in calls) ClientCardProjection.Apply(new CallLinkedToPerson(Person, call.Id, "in", call.At), card);

        card.CallCount.Should().Be(25);
        card.RecentCalls.Should().HaveCount(ClientCard.RecentCallsShown);
        card.RecentCalls.Select(c => c.CallId).Should().Equal(calls.AsEnumerable().Reverse().Take(20).Select(c => c.Id));
        card.LastCall!.CallId.Should().Be(calls[^1].Id);

        ClientCardProjection.Apply(new LinkedCallFinished(Person, calls[22].Id, "missed"), card);
        ClientCardProjection.Apply(new LinkedCallFinished(Person, calls[23].Id, "unanswered"), card);
        ClientCardProjection.Apply(new LinkedCallFinished(Person, calls[24].Id, "missed"), card);
        card.MissedCount.Should().Be(2, "an unanswered outgoing call is not a missed one");
        card.LastCall!.Status.Should().Be("missed");
        ClientCardProjection.Apply(new LinkedCallFinished(Person, calls[0].Id, "answered"), card);
        card.MissedCount.Should().Be(0);
        card.RecentCalls.Should().NotContain(c => c.CallId == calls[0].Id, "it fell off the list, and its end changes only the counters");
    }

    [Fact]
    public void A_late_linked_older_call_takes_its_place_in_time()
    {
        var card = ClientCardProjection.Create(new ClientRegistered(Person, "Иван", ["+79261110001"], null, T0));
        var newer = Guid.NewGuid();
        var older = Guid.NewGuid();
        ClientCardProjection.Apply(new CallLinkedToPerson(Person, newer, "in", T0.AddMinutes(5)), card);
        ClientCardProjection.Apply(new CallLinkedToPerson(Person, older, "in", T0), card);
        card.RecentCalls.Select(c => c.CallId).Should().Equal(newer, older);
        card.LastCall!.CallId.Should().Be(newer);
    }

    [Fact]
    public void An_employee_event_is_for_its_tenant_and_recipients_only()
    {
        var toSome = new EmployeeEvent("acme", [1, 2], "incoming-call", "{}");
        toSome.IsFor("acme", 1).Should().BeTrue();
        toSome.IsFor("acme", 3).Should().BeFalse();
        toSome.IsFor("other", 1).Should().BeFalse();
        var toAll = toSome with { Recipients = null };
        toAll.IsFor("acme", 3).Should().BeTrue();
        toAll.IsFor("other", 3).Should().BeFalse();
    }
}
