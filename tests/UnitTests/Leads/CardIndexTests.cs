using Leads.ManagerLookups;

namespace UnitTests.Leads;

public sealed class CardIndexTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTime Read1 = new(2026, 11, 28, 10, 0, 0, DateTimeKind.Utc);

    private static IndexedCard Card(Guid id, string[] phones, int? manager, DateTime modified) =>
        new(id, "client", T0, manager, phones, modified);

    [Fact]
    public void A_card_is_found_by_each_of_its_numbers_in_its_own_tenant_only()
    {
        var index = new CardIndex();
        var id = Guid.NewGuid();
        index.Put("acme", id, Card(id, ["+79261110001", "+79261110002"], 7, Read1));
        index.Find("acme", "+79261110002").Should().ContainSingle().Which.ManagerId.Should().Be(7);
        index.Find("other", "+79261110002").Should().BeEmpty();
    }

    [Fact]
    public void A_newer_read_replaces_the_card_and_its_numbers_and_an_older_read_does_not()
    {
        var index = new CardIndex();
        var id = Guid.NewGuid();
        index.Put("acme", id, Card(id, ["+79261110001"], 7, Read1));
        index.Put("acme", id, Card(id, ["+79261110003"], 8, Read1.AddSeconds(1)));
        index.Find("acme", "+79261110001").Should().BeEmpty("the number left the card");
        index.Find("acme", "+79261110003").Single().ManagerId.Should().Be(8);

        index.Put("acme", id, Card(id, ["+79261110001"], 7, Read1));
        index.Find("acme", "+79261110003").Single().ManagerId.Should().Be(8, "a read older than the one held changes nothing");
    }

    [Fact]
    public void Two_cards_may_share_a_number_and_a_removed_card_leaves_it()
    {
        var index = new CardIndex();
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        index.Put("acme", first, Card(first, ["+79261110004"], 7, Read1));
        index.Put("acme", second, Card(second, ["+79261110004"], 8, Read1));
        index.Find("acme", "+79261110004").Should().HaveCount(2);
        index.Put("acme", first, null);
        index.Find("acme", "+79261110004").Should().ContainSingle().Which.Id.Should().Be(second);
    }

    [Fact]
    public void A_shared_number_belongs_to_a_client_before_a_lead_then_to_the_oldest_card()
    {
        var index = new CardIndex();
        var (olderLead, client, newerClient) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        index.Put("acme", olderLead, new IndexedCard(olderLead, "lead", T0.AddDays(-9), 5, ["+79261110005"], Read1));
        index.FindFirst("acme", "+79261110005").Should().Be((olderLead, (int?)5));

        index.Put("acme", newerClient, new IndexedCard(newerClient, "client", T0.AddDays(-1), null, ["+79261110005"], Read1));
        index.Put("acme", client, new IndexedCard(client, "client", T0.AddDays(-2), 7, ["+79261110005", "+79261110006"], Read1));
        index.FindFirst("acme", "+79261110005").Should().Be((client, (int?)7));
        index.FindFirst("acme", "+79261110006").Should().Be((client, (int?)7));

        index.Put("acme", client, null);
        index.FindFirst("acme", "+79261110005").Should().Be((newerClient, (int?)null));
        index.FindFirst("acme", "+79261110006").Should().BeNull();
        index.Put("acme", newerClient, null);
        index.FindFirst("acme", "+79261110005").Should().Be((olderLead, (int?)5), "the number is held by one card again");
        index.Find("acme", "+79261110005").Single().Phones.Should().Equal("+79261110005");
    }

    [Fact]
    public void What_is_not_an_E164_number_is_neither_indexed_nor_found()
    {
        var index = new CardIndex();
        var id = Guid.NewGuid();
        index.Put("acme", id, Card(id, ["anonymous", "+79261110007"], 7, Read1));
        index.Find("acme", "+79261110007").Single().Phones.Should().Equal("+79261110007");
        index.FindFirst("acme", "anonymous").Should().BeNull();
        index.FindFirst("acme", "79261110007").Should().BeNull();
    }
}
