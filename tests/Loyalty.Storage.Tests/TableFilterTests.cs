using Loyalty.Storage.Tables;
using Xunit;

namespace Loyalty.Storage.Tests;

public sealed class TableFilterTests
{
    [Fact]
    public void Values_become_typed_escaped_literals()
    {
        var phone = "+46'70";
        var since = new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.FromHours(1)).AddTicks(1234567);
        var id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

        var filter = TableFilter.Create(
            $"Phone eq {phone} and Since ge {since} and Id eq {id} and Points gt {5000000000L} and Count lt {3} and Rate eq {5.0} and Active eq {true} and Bytes eq {new byte[] { 0x0a, 0xff }}");

        Assert.Equal(
            "Phone eq '+46''70' and Since ge datetime'2025-03-01T09:00:00.1234567Z' and Id eq guid'0f8fad5b-d9cb-469f-a165-70867728950e' and Points gt 5000000000L and Count lt 3 and Rate eq 5.0 and Active eq true and Bytes eq X'0aff'",
            filter);
    }

    [Fact]
    public void Unsupported_values_and_format_specifiers_are_refused()
    {
        Assert.Throws<ArgumentException>(() => TableFilter.Create($"X eq {DayOfWeek.Monday}"));
        Assert.Throws<FormatException>(() => TableFilter.Create($"X eq {42:D5}"));
        Assert.Throws<ArgumentNullException>(() => TableFilter.Create($"X eq {(string?)null}"));
    }
}
