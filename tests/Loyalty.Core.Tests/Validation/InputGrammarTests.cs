using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loyalty.Core.Accrual;
using Loyalty.Core.Application.Identities;
using Loyalty.Core.Programs;
using Loyalty.Core.Receipts;
using Loyalty.Core.Tiers;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Tests;

/// <summary>The rules for what clients send: the id grammar, free text, e-mail and phone grammars, program bounds and receipt limits.</summary>
public class InputGrammarTests
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:";
    private static readonly DateTimeOffset Now = Seeds.At(2026, 3, 1);

    private static Gen<string> Words(int min, int max) =>
        from length in Gen.Choose(min, max)
        from chars in Gen.ArrayOf(Gen.Elements(Alphabet.ToCharArray()), length)
        select new string(chars);

    [Property(MaxTest = 500)]
    public Property The_id_grammar_accepts_every_word_of_its_alphabet_up_to_the_maximum() =>
        Prop.ForAll(Words(1, Ids.MaxLength).ToArbitrary(), id => Ids.IsValid(id));

    [Property(MaxTest = 500)]
    public Property The_id_grammar_refuses_any_other_character_anywhere() =>
        Prop.ForAll(Words(0, Ids.MaxLength - 1).ToArbitrary(), Gen.Choose(0, char.MaxValue).ToArbitrary(), Gen.Choose(0, Ids.MaxLength).ToArbitrary(),
            (word, code, at) =>
        {
            var c = (char)code;
            if (Alphabet.Contains(c)) return true;
            return !Ids.IsValid(word.Insert(Math.Min(at, word.Length), c.ToString()));
        });

    [Property(MaxTest = 200)]
    public Property The_id_grammar_refuses_ids_over_the_maximum_and_the_empty_id() =>
        Prop.ForAll(Words(Ids.MaxLength + 1, 4 * Ids.MaxLength).ToArbitrary(), id => !Ids.IsValid(id) && Ids.IsValid(id, id.Length) && !Ids.IsValid(""));

    [Theory]
    [InlineData("till\u00007")]
    [InlineData("till\u00077")]
    [InlineData("till\u001b[31m")]
    [InlineData("till\n7")]
    [InlineData("kampanj-å")]
    [InlineData("\u200b\u200b")]
    [InlineData("a b")]
    [InlineData("a/b")]
    public void Ids_with_control_non_ascii_or_invisible_characters_are_refused(string id)
    {
        var error = Assert.Single(ReceiptValidator.Validate(Seeds.Purchase(id, Now, Seeds.Line(1m)), Seeds.Compile(Seeds.Ladder()), Now));
        Assert.Equal((ErrorCodes.InvalidIdentifier, "id"), (error.Code, error.Path));
    }

    [Fact]
    public void Text_of_only_invisible_characters_is_blank_and_control_characters_or_broken_pairs_are_not_printable()
    {
        Assert.True(Texts.IsBlank("\u200b\u200d\ufeff \u3164\u2800"));
        Assert.False(Texts.IsBlank("\u200bA"));
        Assert.Equal("Astrid", Texts.Trim("\u200b Astrid\ufeff"));
        Assert.True(Texts.IsPrintable("Åsa 😀 Öberg"));
        Assert.False(Texts.IsPrintable("bell\u0007"));
        Assert.False(Texts.IsPrintable("line\nbreak"));
        Assert.False(Texts.IsPrintable("half \ud800"));
        Assert.False(Texts.IsPrintable("\udc00 half"));
    }

    [Theory]
    [InlineData("Astrid.Lindgren+club@example.co.uk", true)]
    [InlineData("  A@Example.COM ", true)]
    [InlineData("o'brien@mail-1.example.se", true)]
    [InlineData("a@b..com", false)]
    [InlineData("<script>@x.com", false)]
    [InlineData("a@<x>.com", false)]
    [InlineData(".a@b.com", false)]
    [InlineData("a.@b.com", false)]
    [InlineData("a..b@c.com", false)]
    [InlineData("a@b", false)]
    [InlineData("a@b.c", false)]
    [InlineData("a@b.c0m", false)]
    [InlineData("a@-b.com", false)]
    [InlineData("a@b-.com", false)]
    [InlineData("a@b.com.", false)]
    [InlineData("a@@b.com", false)]
    [InlineData("\"a b\"@c.com", false)]
    [InlineData("åsa@example.se", false)]
    [InlineData("a@example.com\u0000", false)]
    public void E_mail_addresses_follow_a_pragmatic_grammar(string input, bool valid) =>
        Assert.Equal(valid, EmailAddresses.TryNormalize(input, out _));

    private static Gen<string> Runs(string alphabet, int maxRuns, int maxRun) =>
        from count in Gen.Choose(1, maxRuns)
        from runs in Gen.ArrayOf(from length in Gen.Choose(1, maxRun) from chars in Gen.ArrayOf(Gen.Elements(alphabet.ToCharArray()),
            length) select new string(chars), count)
        select string.Join('.', runs);

    private static Gen<string> Addresses() =>
        from local in Runs("abcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+/=?^_`{|}~-", 3, 8)
        from domain in Runs("abcdefghijklmnopqrstuvwxyz0123456789", 3, 10)
        from tld in Gen.ArrayOf(Gen.Elements("abcdefghijklmnopqrstuvwxyz".ToCharArray()), 2).Select(c => new string(c))
        select $"{local}@{domain}.{tld}";

    [Property(MaxTest = 300)]
    public Property E_mail_addresses_of_the_grammar_are_accepted_and_normalised_once_for_all() =>
        Prop.ForAll(Addresses().ToArbitrary(), address =>
            EmailAddresses.TryNormalize(" " + address.ToUpperInvariant() + " ", out var normalized) && normalized == address
            && EmailAddresses.TryNormalize(normalized, out var again) && again == normalized);

    [Property(MaxTest = 300)]
    public Property E_mail_addresses_with_a_double_dot_or_a_character_outside_the_grammar_are_refused() =>
        Prop.ForAll(Addresses().ToArbitrary(), Gen.Elements("..", "<", ">", " ", "\u0000", "\"", "(", ",", ";", "å", "\u200b").ToArbitrary(),
        Gen.Choose(0, 1000).ToArbitrary(),
            (address, bad, at) =>
            {
                var position = 1 + at % (address.Length - 1);
                return !EmailAddresses.TryNormalize(address.Insert(position, bad), out _);
            });

    [Fact]
    public void E_mail_addresses_are_at_most_254_characters_with_a_local_part_of_at_most_64()
    {
        Assert.False(EmailAddresses.TryNormalize(new string('a', 65) + "@example.com", out _));
        Assert.True(EmailAddresses.TryNormalize(new string('a', 64) + "@example.com", out _));
        var labels = string.Join('.', Enumerable.Repeat(new string('d', 60), 5));
        Assert.False(EmailAddresses.TryNormalize($"a@{labels}.com", out _));
    }

    [Theory]
    [InlineData("070-123 45 67", true)]
    [InlineData("+46 (0)70 123.45.67", true)]
    [InlineData("(070) 123 45 67", true)]
    [InlineData("070-123 45 67 ext 5", false)]
    [InlineData("070-123 45 67 x5", false)]
    [InlineData("0701234567\u0000", false)]
    [InlineData("070+1234567", false)]
    [InlineData("070-CALL-NOW", false)]
    public void Phone_numbers_are_digits_spaces_dashes_parentheses_and_dots_after_an_optional_plus(string input, bool valid) =>
        Assert.Equal(valid, Phones.TryNormalize(input, "SE", out _));

    [Fact]
    public void Program_bounds_keep_accrual_far_from_overflow()
    {
        var ladder = Seeds.Ladder();
        Assert.Empty(ProgramValidator.Validate(ladder));
        var bad = ladder with
        {
            Earn = new EarnRules { PointsPerCurrencyUnit = 1e12m, CategoryMultipliers = new Dictionary<string, decimal> { ["toys"] = 1_000m } },
            Tiers = [new TierDefinition { Name = "Bronze", Threshold = 0 }, new TierDefinition { Name = "Gold\u0007", Threshold = long.MaxValue }],
            Vouchers = ladder.Vouchers with { ValidDays = int.MaxValue, Automatic = new(2_000, 1e9m) },
            MaxLineAmount = 0,
            MaxPointsPerReceipt = long.MaxValue,
        };
        Assert.Equal(
            new[] { "earn.pointsPerCurrencyUnit", "earn.categoryMultipliers.toys", "tiers[1].name", "tiers[1].threshold", "vouchers.automatic.value",
            "vouchers.validDays", "maxLineAmount", "maxPointsPerReceipt" }.Order(),
            ProgramValidator.Validate(bad).Where(e => e.Code == ErrorCodes.OutOfRange).Select(e => e.Path).Order());
    }

    [Theory]
    [InlineData("../../../etc/passwd")]
    [InlineData("Europe/Stockholm\u0000")]
    [InlineData("\u0000")]
    [InlineData("Europe/Stöckholm")]
    [InlineData("/usr/share/zoneinfo/UTC")]
    public void Time_zone_ids_that_are_no_zone_are_a_validation_error_not_an_exception(string zone) =>
        Assert.Equal(ErrorCodes.UnknownTimeZone, Assert.Single(ProgramValidator.Validate(Seeds.Ladder() with { TimeZone = zone })).Code);

    [Fact]
    public void A_time_zone_id_of_endless_length_is_a_validation_error() =>
        Assert.Equal(ErrorCodes.UnknownTimeZone, Assert.Single(ProgramValidator.Validate(Seeds.Ladder() with { TimeZone = new string('a', 100_000) })).Code);

    [Fact]
    public void A_blank_or_invisible_tier_name_is_one_required_error()
    {
        var ladder = Seeds.Ladder();
        foreach (var name in new[] { " ", "\u200b\u2060" })
        {
            var errors = ProgramValidator.Validate(ladder with { Tiers = [ladder.Tiers[0] with { Name = name }, .. ladder.Tiers.Skip(1)] });
            Assert.Equal((ErrorCodes.Required, "tiers[0].name"), errors.Select(e => (e.Code, e.Path)).Single());
        }
    }

    [Fact]
    public void A_receipt_over_the_programs_line_amount_or_points_limit_is_refused_before_it_is_applied()
    {
        var program = Seeds.Compile(Seeds.Till() with { MaxLineAmount = 10_000m, MaxPointsPerReceipt = 5_000 });
        var lines = Enumerable.Range(0, 100).Select(i => Seeds.Line(1_000_000_000m, sku: $"sku-{i}")).ToArray();
        var huge = ReceiptValidator.Validate(Seeds.Purchase("r1", Now, lines), program, Now);
        Assert.Equal(100, huge.Count(e => e.Code == ErrorCodes.LineAmountOverLimit));

        var error = Assert.Single(ReceiptValidator.Validate(Seeds.Purchase("r2", Now, Seeds.Line(6_000m)), program, Now));
        Assert.Equal((ErrorCodes.PointsOverLimit, "lines"), (error.Code, error.Path));
        Assert.Empty(ReceiptValidator.Validate(Seeds.Purchase("r3", Now, Seeds.Line(4_000m)), program, Now));
        Assert.Empty(ReceiptValidator.Validate(Seeds.Return("r4", "r3", Now, Seeds.Line(-6_000m, quantity: -1)), program, Now));
    }

    [Fact]
    public void Lines_with_endless_or_invisible_skus_and_categories_are_refused()
    {
        var program = Seeds.Compile(Seeds.Ladder());
        var receipt = Seeds.Purchase("r1", Now, new ReceiptLine(new string('s', 100_000), "toys", 1, 1m), new ReceiptLine("\u200b", "toys", 1, 1m),
            new ReceiptLine("ok", new string('c', 100_000), 1, 1m), new ReceiptLine("ok", "a\u0000", 1, 1m));
        Assert.Equal(
            [(ErrorCodes.OutOfRange, "lines[0].sku"), (ErrorCodes.Required, "lines[1].sku"), (ErrorCodes.OutOfRange, "lines[2].category"),
            (ErrorCodes.OutOfRange, "lines[3].category")],
            ReceiptValidator.Validate(receipt, program, Now).Select(e => (e.Code, e.Path)));
    }

    [Fact]
    public void A_receipt_lists_at_most_as_many_vouchers_as_a_member_can_hold()
    {
        var receipt = Seeds.Purchase("r1", Now, Seeds.Line(10m)) with { Vouchers = [.. Enumerable.Range(0, 50_000).Select(i => $"v{i}")] };
        Assert.Equal((ErrorCodes.OutOfRange, "vouchers"), ReceiptValidator.Validate(receipt, Seeds.Compile(Seeds.Ladder()), Now).Select(e => (e.Code, e.Path))
            .Single());
    }

    [Fact]
    public void A_till_request_id_with_control_characters_is_refused_by_the_book()
    {
        var program = Seeds.Compile(Seeds.Till());
        var book = Seeds.Enrol(program);
        Assert.Equal(ErrorCodes.InvalidIdentifier, Assert.Single(book.ChooseVoucher(program, "r\u00001", 100m, new DateOnly(2026, 2, 1)).Errors).Code);
        Assert.Equal(ErrorCodes.InvalidIdentifier,
            Assert.Single(book.RedeemVoucher(program, new string('r', 100_000), "welcome", new DateOnly(2026, 2, 1)).Errors).Code);
    }

    /// <summary>
    /// However close to the largest count a balance is, a purchase either lands exactly (the balance is what was there
    /// plus what the receipt earns, as a mathematician would add) or is refused with points.overflow: never a wrapped number.
    /// </summary>
    [Property(MaxTest = 300)]
    public Property Checked_accrual_never_wraps() =>
        Prop.ForAll(Gen.Choose(0, 2_000_000).ToArbitrary(), Gen.Choose(1, 1_000_000).ToArbitrary(), (headroom, amount) =>
        {
            var definition = Seeds.Till();
            var program = Seeds.Compile(definition);
            var catalog = Seeds.Catalog(definition);
            var receipt = Seeds.Purchase("r1", Now, Seeds.Line(amount));
            var earned = Seeds.Enrol(program).Apply(receipt, catalog, Now).Value.Book.State.Balance;

            var start = long.MaxValue - headroom;
            var book = Seeds.Enrol(program);
            book = book with { State = book.State with { Balance = start } };
            var applied = book.Apply(receipt, catalog, Now);

            return new BigInteger(start) + earned > long.MaxValue
                ? !applied.IsValid && applied.Errors.Single().Code == ErrorCodes.PointsOverflow && book.State.Balance == start
                : applied.IsValid && applied.Value.Book.State.Balance == start + earned;
        });
}
