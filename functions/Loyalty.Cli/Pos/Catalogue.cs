namespace Loyalty.Cli.Pos;

/// <summary>One article on the shelf; one price per SKU, as a till's price file has it.</summary>
internal sealed record Product(string Sku, string Category, decimal UnitPrice);

/// <summary>
/// A small pet-shop range. Pet food sits in category "pet-food" because the demo program's stamp card counts bags
/// of it, so simulated baskets exercise stamps (and their reversal on returns) as well as points.
/// </summary>
internal static class Catalogue
{
    public static readonly Product[] Products =
    [
        new("PF-DOG-ADULT-2KG", "pet-food", 189.90m),
        new("PF-DOG-PUPPY-3KG", "pet-food", 279.50m),
        new("PF-DOG-GRAINFREE-10KG", "pet-food", 599.00m),
        new("PF-DOG-ADULT-12KG", "pet-food", 549.00m),
        new("PF-CAT-KITTEN-1.5KG", "pet-food", 159.95m),
        new("PF-CAT-INDOOR-2KG", "pet-food", 219.90m),
        new("PF-CAT-SENIOR-4KG", "pet-food", 389.00m),
        new("TR-DENTAL-STICKS-28", "treats", 49.90m),
        new("TR-CAT-CREAMY-12", "treats", 24.50m),
        new("TR-CHEW-BONE-L", "treats", 34.95m),
        new("TY-ROPE-M", "toys", 79.00m),
        new("TY-BALL-3PK", "toys", 59.90m),
        new("TY-CAT-WAND", "toys", 39.95m),
        new("TY-SQUEAKY-DUCK", "toys", 69.50m),
        new("AC-LEASH-150", "accessories", 199.00m),
        new("AC-COLLAR-M", "accessories", 149.90m),
        new("AC-BOWL-STEEL", "accessories", 89.95m),
        new("AC-BED-L", "accessories", 649.00m),
        new("GR-SHAMPOO-250", "grooming", 119.00m),
        new("GR-BRUSH-SLICKER", "grooming", 129.50m),
        new("GR-NAIL-CLIPPER", "grooming", 99.90m),
        new("LT-CLUMPING-10L", "litter", 139.00m),
    ];
}
