using System.Text.Json;
using System.Text.Json.Nodes;

namespace Loyalty.Core.Application.Privacy;

/// <summary>
/// Reads and rewrites archived receipt payloads: a web-shop receipt (one receipt object) or a POS queue message
/// (<c>loyalty.receipt.v1</c>, up to 100 receipts, usually of different members). Only the receipts named are touched,
/// so one member's export or erasure never reveals or changes another member's receipt in the same message.
/// </summary>
public static class RawReceipts
{
    /// <summary>The receipts with these ids, as sent; none when the payload is not JSON of either shape.</summary>
    public static IReadOnlyList<(string ReceiptId, JsonElement Payload)> Extract(ReadOnlyMemory<byte> content, IReadOnlySet<string> receiptIds) =>
        Parse(content) is { } root
            ? [.. Receipts(root).Where(r => receiptIds.Contains(r.Id)).Select(r => (r.Id, JsonSerializer.SerializeToElement(r.Receipt)))]
            : [];

    /// <summary>
    /// The payload with the member identifier (card, phone, e-mail, external id) of these receipts replaced by the
    /// pseudonymous member id, so the receipts stay attributable for accounting; null when nothing needed changing.
    /// </summary>
    public static byte[]? Scrub(ReadOnlyMemory<byte> content, IReadOnlySet<string> receiptIds, string memberId)
    {
        if (Parse(content) is not { } root) return null;
        var changed = false;
        foreach (var (id, receipt) in Receipts(root))
        {
            if (!receiptIds.Contains(id) || receipt["member"] is not JsonObject member) continue;
            if (member.Count == 1 && (string?)member["memberId"] == memberId) continue;
            receipt["member"] = new JsonObject { ["memberId"] = memberId };
            changed = true;
        }
        return changed ? JsonSerializer.SerializeToUtf8Bytes(root) : null;
    }

    private static JsonObject? Parse(ReadOnlyMemory<byte> content)
    {
        try
        {
            return JsonNode.Parse(content.Span) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IEnumerable<(string Id, JsonObject Receipt)> Receipts(JsonObject root)
    {
        var receipts = root["receipts"] is JsonArray many ? many.OfType<JsonObject>() : [root];
        foreach (var receipt in receipts)
            if (receipt["id"] is JsonValue id && id.TryGetValue<string>(out var text))
                yield return (text, receipt);
    }
}
