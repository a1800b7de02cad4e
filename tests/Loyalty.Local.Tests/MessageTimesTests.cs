using Loyalty.Local.Workers;
using Xunit;

namespace Loyalty.Local.Tests;

/// <summary>The receipts worker's report of where a message's time went: summed and at most, per report.</summary>
public sealed class MessageTimesTests
{
    [Fact]
    public void A_report_takes_the_sums_and_the_longest_since_the_last_and_starts_afresh()
    {
        var times = new MessageTimes();
        times.Add(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(200));
        times.Add(TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(100));

        Assert.Equal((2L, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(200)), times.Take());
        Assert.Equal((0L, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero), times.Take());

        times.Add(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20));
        Assert.Equal((1L, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(20)),
            times.Take());
    }
}
