using Loyalty.Core.Receipts;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Tests;

public class ReceiptTests
{
    private static readonly Programs.CompiledProgram Program = Seeds.Compile(Seeds.Ladder());
    private static readonly DateTimeOffset Now = Seeds.At(2026, 3, 1);

    private static IReadOnlyList<ValidationError> Errors(Receipt r) => ReceiptValidator.Validate(r, Program, Now);

    [Fact]
    public void A_well_formed_receipt_passes() => Assert.Empty(Errors(Seeds.Purchase("r1", Now, Seeds.Line(100m), Seeds.Bags(2))));

    [Fact]
    public void Negative_quantity_outside_a_return_names_the_line()
    {
        var receipt = Seeds.Purchase("r1", Now, Seeds.Line(100m), new ReceiptLine("x", "toys", -1, 50m));
        var error = Assert.Single(Errors(receipt));
        Assert.Equal((ErrorCodes.NegativeQuantity, "lines[1].quantity"), (error.Code, error.Path));
    }

    [Fact]
    public void Totals_must_add_up()
    {
        var error = Assert.Single(Errors(Seeds.Purchase("r1", Now, Seeds.Line(100m)) with { Total = 99.5m }));
        Assert.Equal((ErrorCodes.TotalMismatch, "total"), (error.Code, error.Path));
        Assert.Contains("99.5", error.Message);
    }

    [Fact]
    public void Unknown_or_foreign_currency_is_rejected()
    {
        Assert.Equal(ErrorCodes.UnknownCurrency, Assert.Single(Errors(Seeds.Purchase("r1", Now, Seeds.Line(1m)) with { Currency = "ABC" })).Code);
        Assert.Equal(ErrorCodes.CurrencyMismatch, Assert.Single(Errors(Seeds.Purchase("r1", Now, Seeds.Line(1m)) with { Currency = "NOK" })).Code);
    }

    [Fact]
    public void A_purchase_beyond_the_clock_skew_is_from_the_future()
    {
        Assert.Empty(Errors(Seeds.Purchase("r1", Now.AddMinutes(4), Seeds.Line(1m))));
        var error = Assert.Single(Errors(Seeds.Purchase("r1", Now.AddMinutes(6), Seeds.Line(1m))));
        Assert.Equal((ErrorCodes.InFuture, "purchasedAt"), (error.Code, error.Path));
    }

    [Fact]
    public void Returns_carry_negative_lines_and_no_vouchers()
    {
        Assert.Empty(Errors(Seeds.Return("x1", "r1", Now, new ReceiptLine("a", "toys", -1, -10m))));
        var errors = Errors(Seeds.Return("x1", "r1", Now, new ReceiptLine("a", "toys", 1, 10m)) with { Vouchers = ["v"] });
        Assert.Contains(errors, e => e is { Code: ErrorCodes.ReturnPositiveQuantity, Path: "lines[0].quantity" });
        Assert.Contains(errors, e => e is { Code: ErrorCodes.ReturnPositiveAmount, Path: "lines[0].amount" });
        Assert.Contains(errors, e => e is { Code: ErrorCodes.ReturnWithVouchers, Path: "vouchers" });
    }

    [Fact]
    public void Ids_that_cannot_be_table_keys_and_empty_receipts_are_rejected()
    {
        var errors = Errors(Seeds.Purchase("a/b", Now) with { MemberId = "" });
        Assert.Contains(errors, e => e is { Code: ErrorCodes.InvalidIdentifier, Path: "id" });
        Assert.Contains(errors, e => e is { Code: ErrorCodes.Required, Path: "memberId" });
        Assert.Contains(errors, e => e is { Code: ErrorCodes.NoLines, Path: "lines" });
    }

    [Fact]
    public void A_voucher_listed_twice_is_a_duplicate()
    {
        var error = Assert.Single(Errors(Seeds.Purchase("r1", Now, Seeds.Line(1m)) with { Vouchers = ["v1", "v1"] }));
        Assert.Equal((ErrorCodes.Duplicate, "vouchers[1]"), (error.Code, error.Path));
    }
}
