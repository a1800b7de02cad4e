using Loyalty.Core.Application;
using Loyalty.Core.Application.Demo;
using Loyalty.Core.Application.Receipts;

namespace Loyalty.Cli.Pos;

/// <summary>
/// Till receipts that look like a pet shop's: small baskets, mostly in store, mostly members identified by phone.
/// Everything comes from one <see cref="Random"/>, so a seed reproduces the baskets (the receipt ids differ per run).
/// </summary>
/// <param name="members">Demo members 1..members are drawn from (their phones and e-mails are <see cref="DemoData"/>'s).</param>
/// <param name="earliest">No purchase is older; see <see cref="ExpectedPoints"/> for why it is not just "a few hours ago".</param>
/// <param name="zone">Times are written with the program's local offset, as a till in the shop would.</param>
internal sealed class BasketGenerator(Random random, int members, string currency, DateTimeOffset earliest, DateTimeOffset now, TimeZoneInfo zone)
{
    /// <summary>Lines per receipt, 1 to 8: most baskets are small.</summary>
    private static readonly int[] LineCounts = [1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 7, 8];

    public PosReceipt Purchase(string id)
    {
        var online = random.NextDouble() < 0.15;
        var store = 1 + random.Next(5);
        var lines = PickProducts(LineCounts[random.Next(LineCounts.Length)]).Select(Line).ToArray();
        return new PosReceipt
        {
            Id = id,
            StoreId = online ? "web" : $"store-{store}",
            TerminalId = online ? null : $"till-{1 + random.Next(4)}",
            Channel = online ? "online" : "store",
            PurchasedAt = Local(earliest + (now - earliest) * random.NextDouble()),
            Member = Member(),
            Currency = currency,
            Total = lines.Sum(l => l.Amount),
            Lines = lines,
        };
    }

    /// <summary>
    /// Some of the purchase's lines come back, each with 1 to all of its units, at the same till later on. The
    /// line discount goes back with the items (per unit), which is what the contract's amount rule expects.
    /// </summary>
    public PosReceipt Return(string id, PosReceipt purchase)
    {
        var returned = purchase.Lines.Select((line, index) => (line, index)).Where(_ => random.NextDouble() < 0.5).ToList();
        if (returned.Count == 0)
        {
            var index = random.Next(purchase.Lines.Count);
            returned.Add((purchase.Lines[index], index));
        }
        var lines = returned.Select(r =>
        {
            var quantity = 1 + random.Next((int)r.line.Quantity);
            var discount = r.line.Discount / r.line.Quantity * quantity;
            return r.line with { Quantity = -quantity, Discount = discount, Amount = -quantity * r.line.UnitPrice!.Value + discount, OriginalLine = r.index };
        }).ToArray();
        return purchase with
        {
            Id = id,
            PurchasedAt = Local(purchase.PurchasedAt + (now - purchase.PurchasedAt) * random.NextDouble()),
            Total = lines.Sum(l => l.Amount),
            Lines = lines,
            ReturnOf = purchase.Id,
        };
    }

    /// <summary>Distinct products: a second bag of the same food is a quantity, not another line.</summary>
    private IEnumerable<Product> PickProducts(int count)
    {
        var products = Catalogue.Products.ToArray();
        for (var i = 0; i < count; i++)
        {
            var j = i + random.Next(products.Length - i);
            (products[i], products[j]) = (products[j], products[i]);
            yield return products[i];
        }
    }

    /// <summary>1 to 3 units; about one line in seven on offer at 10 or 20 % off per unit.</summary>
    private PosLine Line(Product product)
    {
        var quantity = random.NextDouble() switch { < 0.75 => 1, < 0.93 => 2, _ => 3 };
        var unitDiscount = random.NextDouble() < 0.15 ? Math.Round(product.UnitPrice * (random.Next(2) == 0 ? 0.10m : 0.20m), 2) : 0m;
        return new PosLine
        {
            Sku = product.Sku,
            Category = product.Category,
            Quantity = quantity,
            UnitPrice = product.UnitPrice,
            Discount = unitDiscount * quantity,
            Amount = quantity * (product.UnitPrice - unitDiscount),
        };
    }

    /// <summary>About 5 % anonymous sales; members show their phone number (80 %) or give their e-mail.</summary>
    private MemberIdentifier? Member()
    {
        if (random.NextDouble() < 0.05) return null;
        var n = 1 + random.Next(members);
        return random.NextDouble() < 0.8 ? new MemberIdentifier { Phone = DemoData.Phone(n) } : new MemberIdentifier { Email = DemoData.Email(n) };
    }

    private DateTimeOffset Local(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(new DateTimeOffset(instant.Ticks - instant.Ticks % TimeSpan.TicksPerSecond, instant.Offset), zone);
}
