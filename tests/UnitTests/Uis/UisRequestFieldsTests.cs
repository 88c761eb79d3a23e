using BuildingBlocks.Uis;

namespace UnitTests.Uis;

public sealed class UisRequestFieldsTests
{
    [Fact]
    public void Names_lose_the_white_space_and_line_breaks_of_multi_line_templates()
    {
        var fields = UisRequestFields.Parse("?event=call_end%0A&%0Adirection=%22in%22\n&\n  line_number=74993720692&%0D%0Acall_hash=1");
        fields.Keys.Should().BeEquivalentTo("event", "direction", "line_number", "call_hash");
        UisValue.Text(fields["direction"]).Should().Be("in");
    }

    [Fact]
    public void A_link_pasted_with_its_own_query_string_still_splits()
    {
        var fields = UisRequestFields.Parse("?utm=crm?event=call_start&call_hash=42");
        fields["utm"].Should().Be("crm");
        fields["event"].Should().Be("call_start");
        fields["call_hash"].Should().Be("42");
    }

    [Fact]
    public void Plus_signs_of_phones_survive_and_names_are_case_insensitive()
    {
        var fields = UisRequestFields.Parse("Client_Number=+79161234567&record_links=%5B%22https%3A%2F%2Fmedia.uiscom.ru%2F1%2Fa%22%5D");
        fields["client_number"].Should().Be("+79161234567");
        fields["record_links"].Should().Be("[\"https://media.uiscom.ru/1/a\"]");
    }

    [Fact]
    public void Broken_percent_encoding_is_kept_as_it_came() =>
        UisRequestFields.Parse("event=call_start&client_number=%zz1")["client_number"].Should().Be("%zz1");
}
