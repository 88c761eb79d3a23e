using BuildingBlocks.Uis;

namespace UnitTests.Uis;

public sealed class UisValueTests
{
    [Theory]
    [InlineData("in", "in")]
    [InlineData("\"in\"", "in")]
    [InlineData("\"\"in\"\"", "in")]
    [InlineData("  \"in\" \n", "in")]
    [InlineData("\"a \\\"quoted\\\" name\"", "a \"quoted\" name")]
    [InlineData("\"Ростов-на-Дону СЦ-5\"", "Ростов-на-Дону СЦ-5")]
    [InlineData("79508418541", "79508418541")]
    public void Text_strips_the_json_rendering(string raw, string expected) => UisValue.Text(raw).Should().Be(expected);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("null")]
    [InlineData("NULL")]
    [InlineData("\"\"")]
    [InlineData("{{employee_phone_number}}")]
    [InlineData("\"{{employee_phone_number}}\"")]
    public void Text_of_nothing_is_null(string? raw) => UisValue.Text(raw).Should().BeNull();

    [Theory]
    [InlineData("998677427", 998677427L)]
    [InlineData("4821870777", 4821870777L)]
    [InlineData("\"4821870777\"", 4821870777L)]
    [InlineData(" 4841497946\n", 4841497946L)]
    public void Long_reads_session_ids_beyond_2_to_the_31(string raw, long expected) => UisValue.Long(raw).Should().Be(expected);

    [Theory]
    [InlineData("abc")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("{{call_session_id}}")]
    [InlineData("99999999999999999999999")]
    public void Long_of_a_non_integer_is_null(string raw) => UisValue.Long(raw).Should().BeNull();

    [Theory]
    [InlineData("12", 12)]
    [InlineData("\"12\"", 12)]
    [InlineData("12.0", 12)]
    [InlineData("0", 0)]
    public void Seconds_are_whole(string raw, int expected) => UisValue.Seconds(raw).Should().Be(expected);

    [Theory]
    [InlineData(null)]
    [InlineData("null")]
    [InlineData("{{talk_time_duration}}")]
    public void Seconds_of_nothing_are_null(string? raw) => UisValue.Seconds(raw).Should().BeNull();

    [Theory]
    [InlineData("[\"https://app.uiscom.ru/system/media/talk/1/a/\",\"https://media.uiscom.ru/1/b\"]")]
    [InlineData("https://app.uiscom.ru/system/media/talk/1/a/,https://media.uiscom.ru/1/b")]
    [InlineData("https://app.uiscom.ru/system/media/talk/1/a/ https://media.uiscom.ru/1/b")]
    [InlineData("[https://app.uiscom.ru/system/media/talk/1/a/, https://media.uiscom.ru/1/b]")]
    [InlineData("[\"\\\"https://app.uiscom.ru/system/media/talk/1/a/\\\"\", null, \"https://media.uiscom.ru/1/b\"]")]
    public void List_reads_json_arrays_and_plain_lists(string raw) =>
        UisValue.List(raw).Should().Equal("https://app.uiscom.ru/system/media/talk/1/a/", "https://media.uiscom.ru/1/b");

    [Fact]
    public void List_of_one_plain_value_is_that_value() =>
        UisValue.List("\"https://media.uiscom.ru/1/b\"").Should().Equal("https://media.uiscom.ru/1/b");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{{record_file_links}}")]
    public void List_of_nothing_is_empty(string? raw) => UisValue.List(raw).Should().BeEmpty();
}
