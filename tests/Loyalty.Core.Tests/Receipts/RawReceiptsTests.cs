using System.Text;
using System.Text.Json;
using Loyalty.Core.Application.Receipts;
using Loyalty.Core.Serialization;

namespace Loyalty.Core.Tests;

/// <summary>A queue message's receipts as the bytes it carries them in: what each member's transaction archives.</summary>
public class RawReceiptsTests
{
    [Theory]
    [InlineData("""{"type":"loyalty.receipt.v1","programId":"demo","receipts":[{"id":"r-1","total":10},{"id":"r-2","total":-5}]}""")]
    [InlineData("""
        {
          "receipts" : [
            { "id": "r-1", "lines": [ { "sku": "a", "amount": 10 } ], "total": 10 } ,
            {"id":"r-\u00e5","member":{"phone":"+46 70 123"},"total":-5}
          ],
          "type": "loyalty.receipt.v1", "programId": "demo"
        }
        """)]
    [InlineData("""{"programId":"demo","receipts":[{"id":"r-1","note":"receipts: [\"x\"]"}],"type":"loyalty.receipt.v1"}""")]
    public void Each_receipt_is_the_exact_slice_of_the_message_that_holds_it(string message)
    {
        var body = Encoding.UTF8.GetBytes(message);
        using var document = JsonDocument.Parse(body);
        var expected = document.RootElement.GetProperty("receipts").EnumerateArray().Select(r => r.GetRawText()).ToArray();

        var raw = ReceiptMessage.RawReceipts(body);

        Assert.Equal(expected, raw.Select(r => Encoding.UTF8.GetString(r.Span)));
    }

    [Fact]
    public void A_body_without_receipts_is_refused_rather_than_read_as_none()
    {
        var body = Encoding.UTF8.GetBytes("""{"type":"loyalty.receipt.v1","programId":"demo"}""");
        Assert.Throws<ArgumentException>(() => ReceiptMessage.RawReceipts(body));
    }

    [Fact]
    public void The_slices_of_a_message_that_parses_strictly_line_up_with_its_receipts()
    {
        var body = Encoding.UTF8.GetBytes("""
            {"type":"loyalty.receipt.v1","programId":"demo","receipts":[
              {"id":"a-1","currency":"SEK","purchasedAt":"2026-03-14T10:00:00+01:00","total":100,
               "lines":[{"sku":"s","category":"toys","quantity":1,"amount":100}]},
              {"id":"a-2","currency":"SEK","purchasedAt":"2026-03-14T10:05:00+01:00","total":50,
               "lines":[{"sku":"t","category":"toys","quantity":1,"amount":50}]}]}
            """);
        var parsed = StrictJson.Parse<ReceiptMessage>(body);
        var message = parsed.Value ?? throw new InvalidOperationException($"{parsed.Path}: {parsed.Error}");

        var raw = ReceiptMessage.RawReceipts(body);

        Assert.Equal(message.Receipts.Select(r => r.Id),
            raw.Select(r => StrictJson.Parse<PosReceipt>(r.Span).Value!.Id));
    }
}
