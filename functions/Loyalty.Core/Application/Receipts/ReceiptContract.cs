using System.Text.Json;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Members;
using Loyalty.Core.Receipts;
using Loyalty.Core.Serialization;

namespace Loyalty.Core.Application.Receipts;

/// <summary>
/// Message <c>loyalty.receipt.v1</c>: one or more receipts of one program, as a POS puts them on the receipts queue
/// (a till catching up after being offline sends a batch; batches also keep queues shallow). Documented with a JSON
/// Schema in docs/pos-integration.md.
/// </summary>
public sealed record ReceiptMessage
{
    public const string MessageType = "loyalty.receipt.v1";

    /// <summary>Enough for a till's offline backlog, small enough that one message is processed in seconds.</summary>
    public const int MaxReceipts = 100;

    public required string Type { get; init; }
    public required string ProgramId { get; init; }
    public required IReadOnlyList<PosReceipt> Receipts { get; init; }

    /// <summary>
    /// Each receipt's bytes as <paramref name="body"/> carries them, in order, without copying: what the member's
    /// transaction archives beside the receipt. Only for a body <see cref="StrictJson"/> has read as a message, so the
    /// top-level <c>receipts</c> key is there once, spelt exactly so.
    /// </summary>
    public static ReadOnlyMemory<byte>[] RawReceipts(ReadOnlyMemory<byte> body)
    {
        var reader = new Utf8JsonReader(body.Span);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isReceipts = reader.ValueTextEquals("receipts"u8);
            reader.Read();
            if (!isReceipts)
            {
                reader.Skip();
                continue;
            }
            var raw = new List<ReadOnlyMemory<byte>>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                raw.Add(body[start..(int)reader.BytesConsumed]);
            }
            return [.. raw];
        }
        throw new ArgumentException("The body is not a receipts message.", nameof(body));
    }
}

/// <summary>A receipt as the till or web shop sends it, before the member is resolved.</summary>
public sealed record PosReceipt
{
    /// <summary>Unique per program; the same id sent again is applied once and answered with the first outcome.</summary>
    public required string Id { get; init; }

    public string StoreId { get; init; } = "";
    public string? TerminalId { get; init; }

    /// <summary>"store" or "online".</summary>
    public string Channel { get; init; } = "store";

    public required DateTimeOffset PurchasedAt { get; init; }

    /// <summary>Who bought: exactly one identifier, or null for an anonymous sale (archived, no points).</summary>
    public MemberIdentifier? Member { get; init; }

    public required string Currency { get; init; }

    /// <summary>The sum of the line amounts.</summary>
    public required decimal Total { get; init; }

    public required IReadOnlyList<PosLine> Lines { get; init; }

    /// <summary>Vouchers redeemed on this receipt.</summary>
    public IReadOnlyList<string> Vouchers { get; init; } = [];

    /// <summary>Campaign coupon codes the customer showed ("PIZZA15"); each is recorded as a redemption of its campaign.</summary>
    public IReadOnlyList<string> Coupons { get; init; } = [];

    /// <summary>Set on a return: the id of the purchase the lines come from (lines then carry negative quantities and amounts).</summary>
    public string? ReturnOf { get; init; }

    /// <summary>A household member whose stamp cards receive this receipt's stamps.</summary>
    public string? StampsTo { get; init; }

    /// <summary>The domain's receipt, once the member is known. Null lines (refused by the checks) are left out.</summary>
    public Receipt ToReceipt(string memberId) => new()
    {
        Id = Id,
        MemberId = memberId,
        StoreId = StoreId,
        Channel = Channel,
        PurchasedAt = PurchasedAt,
        Currency = Currency,
        Total = Total,
        Lines = Lines?.Where(l => l is not null).Select(l => new ReceiptLine(l.Sku, l.Category, l.Quantity, l.Amount, l.OriginalLine)).ToArray() ?? [],
        Vouchers = Vouchers ?? [],
        ReturnOf = ReturnOf,
        StampsTo = StampsTo,
    };
}

/// <summary>
/// One line. <see cref="Amount"/> is what was charged for it (negative on a return). When <see cref="UnitPrice"/>
/// is given, <see cref="Amount"/> must equal quantity × unit price minus <see cref="Discount"/> (plus it, on a return:
/// the discount goes back with the item).
/// </summary>
public sealed record PosLine
{
    public required string Sku { get; init; }
    public string Category { get; init; } = "";
    public required decimal Quantity { get; init; }
    public decimal? UnitPrice { get; init; }
    public decimal Discount { get; init; }
    public required decimal Amount { get; init; }

    /// <summary>On a return, the 0-based line of the original receipt this line gives back.</summary>
    public int? OriginalLine { get; init; }
}

public enum ReceiptStatus
{
    /// <summary>Applied to the member (now or on an earlier delivery: the outcome is the first one).</summary>
    Applied,

    /// <summary>The identifier belongs to no member yet; the receipt waits and is applied when one enrols with it.</summary>
    Parked,

    /// <summary>No member identifier: archived, no points.</summary>
    Anonymous,
}

/// <param name="Outcome">Set when <see cref="Status"/> is <see cref="ReceiptStatus.Applied"/>.</param>
public sealed record ReceiptResult(string ReceiptId, ReceiptStatus Status, string? MemberId = null, Outcome? Outcome = null);

/// <summary>A receipt waiting for its identifier to be enrolled.</summary>
/// <param name="Archive">Where its raw payload is kept.</param>
/// <param name="Refused">Why the member's state refused it when it was replayed; it then waits for an operator.</param>
public sealed record ParkedReceipt(PosReceipt Receipt, IdentityKind Kind, string Identifier, DateTimeOffset ParkedAt, string? Archive, string? Refused = null);
