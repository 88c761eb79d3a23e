using BuildingBlocks.Phones;

namespace UnitTests.Phones;

public sealed class PhoneTests
{
    [Theory]
    [InlineData("8 (916) 123-45-67")]
    [InlineData("+7 916 1234567")]
    [InlineData("9161234567")]
    [InlineData("79161234567")]
    [InlineData("+7 (916) 123-45-67")]
    [InlineData("8-916-123-45-67")]
    public void The_formats_people_type_are_one_number(string text) => Phone.ToE164(text).Should().Be("+79161234567");

    [Theory]
    [InlineData("74993720692", "+74993720692")]
    [InlineData("79508418541", "+79508418541")]
    [InlineData("380501234567", "+380501234567")]
    [InlineData("+380 50 123 4567", "+380501234567")]
    [InlineData("375291234567", "+375291234567")]
    public void Uis_digits_with_a_country_code_are_read_as_international(string text, string expected) =>
        Phone.ToE164(text).Should().Be(expected);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("anonymous")]
    [InlineData("Unknown")]
    [InlineData("123")]
    [InlineData("ivanov@acme")]
    [InlineData("+7 916 abc")]
    public void What_is_not_a_phone_number_is_null(string? text) => Phone.ToE164(text).Should().BeNull();

    [Fact]
    public void A_list_keeps_its_order_drops_duplicates_and_names_what_is_not_a_phone()
    {
        var (phones, notPhones) = Phone.ToE164All(["8 916 123-45-67", "hello", "+79260000001", "79161234567"]);
        phones.Should().Equal("+79161234567", "+79260000001");
        notPhones.Should().Equal("hello");
    }

    [Fact]
    public void Uis_wants_digits_without_plus() => Phone.ToUisDigits("8 (916) 123-45-67").Should().Be("79161234567");

    [Theory]
    [InlineData("1234", true)]
    [InlineData("12345", true)]
    [InlineData("123456", false)]
    [InlineData("+79161234567", false)]
    [InlineData("sip:1234@acme", false)]
    public void Extensions_are_five_digits_or_fewer(string text, bool expected) => EmployeeNumber.IsExtension(text).Should().Be(expected);

    [Theory]
    [InlineData("sip:Ivanov@Acme", "sip:ivanov@acme")]
    [InlineData("ivanov@acme", "sip:ivanov@acme")]
    [InlineData("8 916 123 45 67", "+79161234567")]
    [InlineData("1234", null)]
    [InlineData("operator", null)]
    public void Employee_numbers_normalise_to_a_matching_key(string text, string? expected) =>
        EmployeeNumber.Normalize(text).Should().Be(expected);
}
