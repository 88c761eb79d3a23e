using FluentAssertions;
using Leads.ManagerLookups;

namespace UnitTests.Leads;

public sealed class CardTableStatisticsTests
{
    [Theory]
    [InlineData(0, 499, false)]
    [InlineData(0, 500, true)]
    [InlineData(1_000, 1_499, false)] // a fifth, but fewer than the minimum
    [InlineData(1_000, 1_500, true)]
    [InlineData(10_000, 11_999, false)] // the minimum, but less than a fifth
    [InlineData(10_000, 12_000, true)]
    [InlineData(10_000, 9_000, false)]
    public void An_account_grew_fast_when_it_has_a_fifth_more_cards_and_at_least_the_minimum(int before, int now, bool grew) =>
        CardTableStatistics.Grew(before, now, minimumGrowth: 500).Should().Be(grew);
}
