using Loyalty.Storage.Tables;
using Loyalty.Testing;
using Xunit;

namespace Loyalty.Storage.Tests;

public sealed class TableTypeTests : AzuriteTest
{
    [Fact]
    public async Task Every_type_round_trips_exactly_through_get_and_query()
    {
        var table = await CreateTableAsync("types");
        var when = new DateTimeOffset(2025, 11, 28, 23, 59, 59, TimeSpan.FromHours(-5)).AddTicks(1234567);
        var id = Guid.NewGuid();
        byte[] bytes = [0, 1, 2, 250, 255];
        var entity = new TableEntity("p1", "all")
        {
            ["Text"] = "Grüße, 東京 😀 \"quoted\" 'single' <tag> & \\ \n line",
            ["Empty"] = string.Empty,
            ["NumberLikeText"] = "12345",
            ["Int32Max"] = int.MaxValue,
            ["Int32Min"] = int.MinValue,
            ["Int64Max"] = long.MaxValue,
            ["Int64Min"] = long.MinValue,
            ["Int64Small"] = 5L,
            ["DoubleWhole"] = 5.0,
            ["DoubleTenth"] = 0.1,
            ["DoubleNegativeZero"] = -0.0,
            ["DoubleHuge"] = 1.7976931348623157e308,
            ["DoubleTiny"] = double.Epsilon,
            ["True"] = true,
            ["False"] = false,
            ["When"] = when,
            ["Id"] = id,
            ["Bytes"] = bytes,
            ["EmptyBytes"] = Array.Empty<byte>(),
        };
        await table.InsertAsync(entity);

        var read = (await table.GetEntityAsync("p1", "all"))!;
        var queried = Assert.Single(await table.QueryAsync().ToListAsync());

        foreach (var copy in new[] { read, queried })
        {
            Assert.Equal(entity.Count, copy.Count);
            Assert.Equal(entity.GetString("Text"), copy.GetString("Text"));
            Assert.Equal(string.Empty, copy.GetString("Empty"));
            Assert.Equal("12345", copy.GetString("NumberLikeText"));
            Assert.Equal(int.MaxValue, copy.GetInt32("Int32Max"));
            Assert.Equal(int.MinValue, copy.GetInt32("Int32Min"));
            Assert.IsType<long>(copy["Int64Small"]);
            Assert.Equal(long.MaxValue, copy.GetInt64("Int64Max"));
            Assert.Equal(long.MinValue, copy.GetInt64("Int64Min"));
            Assert.IsType<double>(copy["DoubleWhole"]);
            Assert.Equal(5.0, copy.GetDouble("DoubleWhole"));
            Assert.Equal(0.1, copy.GetDouble("DoubleTenth"));
            Assert.Equal(1.7976931348623157e308, copy.GetDouble("DoubleHuge"));
            Assert.Equal(double.Epsilon, copy.GetDouble("DoubleTiny"));
            Assert.IsType<double>(copy["DoubleNegativeZero"]);
            Assert.True(copy.GetBoolean("True"));
            Assert.False(copy.GetBoolean("False"));
            Assert.Equal(when.UtcTicks, copy.GetDateTimeOffset("When")!.Value.UtcTicks);
            Assert.Equal(TimeSpan.Zero, copy.GetDateTimeOffset("When")!.Value.Offset);
            Assert.Equal(id, copy.GetGuid("Id"));
            Assert.Equal(bytes, copy.GetBinary("Bytes"));
            Assert.Equal(Array.Empty<byte>(), copy.GetBinary("EmptyBytes"));
        }
    }

    [Fact]
    public async Task Non_finite_doubles_round_trip()
    {
        var table = await CreateTableAsync("nonfinite");
        await table.InsertAsync(new TableEntity("p1", "r") { ["NaN"] = double.NaN, ["Plus"] = double.PositiveInfinity, ["Minus"] = double.NegativeInfinity });

        var read = (await table.GetEntityAsync("p1", "r"))!;

        Assert.True(double.IsNaN(read.GetDouble("NaN")!.Value));
        Assert.Equal(double.PositiveInfinity, read.GetDouble("Plus"));
        Assert.Equal(double.NegativeInfinity, read.GetDouble("Minus"));
    }

    [Fact]
    public void Getters_check_the_type_and_widen_int32_only()
    {
        var entity = new TableEntity("p", "r") { ["Small"] = 7, ["Text"] = "x" };

        Assert.Equal(7L, entity.GetInt64("Small"));
        Assert.Equal(7.0, entity.GetDouble("Small"));
        Assert.Null(entity.GetString("Missing"));
        Assert.Throws<InvalidCastException>(() => entity.GetInt32("Text"));
        Assert.Throws<ArgumentException>(() => entity["Decimal"] = 1.5m);
        Assert.Throws<ArgumentException>(() => entity["PartitionKey"] = "x");
        entity["Text"] = null;
        Assert.False(entity.ContainsKey("Text"));
    }
}
