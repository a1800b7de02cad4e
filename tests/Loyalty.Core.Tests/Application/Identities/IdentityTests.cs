using Loyalty.Core.Application;
using Loyalty.Core.Application.Identities;

namespace Loyalty.Core.Tests;

public class IdentityTests
{
    [Theory]
    [InlineData("070-123 45 67", "SE", "+46701234567")]
    [InlineData("+46 70 123 45 67", "SE", "+46701234567")]
    [InlineData("0046701234567", "SE", "+46701234567")]
    [InlineData("(070) 1234567", "SE", "+46701234567")]
    [InlineData("+46701234567", "NO", "+46701234567")]
    [InlineData("412 34 567", "NO", "+4741234567")]
    public void Phone_numbers_become_E164_in_the_programs_default_country(string input, string country, string expected)
    {
        Assert.True(Phones.TryNormalize(input, country, out var e164));
        Assert.Equal(expected, e164);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12")]
    [InlineData("not a number")]
    [InlineData("+46 70 123")]
    public void Invalid_phone_numbers_are_refused(string input) => Assert.False(Phones.TryNormalize(input, "SE", out _));

    [Fact]
    public void Email_is_trimmed_lower_cased_and_basically_checked()
    {
        Assert.True(EmailAddresses.TryNormalize("  Ada.Lovelace+club@Example.COM ", out var email));
        Assert.Equal("ada.lovelace+club@example.com", email);
        foreach (var bad in new[] { "", "ada", "@example.com", "ada@", "ada@example", "ada@@example.com", "a da@example.com", "ada@.com", "ada@example.com." })
            Assert.False(EmailAddresses.TryNormalize(bad, out _), bad);
    }

    [Fact]
    public void Card_numbers_ignore_spaces_and_dashes_and_digital_ones_carry_a_luhn_digit()
    {
        Assert.True(CardNumbers.TryNormalize("ab 12-34", out var card));
        Assert.Equal("AB1234", card);
        Assert.False(CardNumbers.TryNormalize("12", out _));
        Assert.False(CardNumbers.TryNormalize("1234/5678", out _));

        Assert.True(CardNumbers.HasValidCheckDigit("4539148803436467"));
        Assert.False(CardNumbers.HasValidCheckDigit("4539148803436468"));
        for (var i = 0; i < 100; i++)
        {
            var digital = CardNumbers.GenerateDigital();
            Assert.Equal(16, digital.Length);
            Assert.True(CardNumbers.HasValidCheckDigit(digital), digital);
        }
    }

    [Fact]
    public void Member_ids_are_short_random_and_recognisable()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => MemberIds.Generate()).ToHashSet();
        Assert.Equal(1000, ids.Count);
        Assert.All(ids, id => Assert.True(MemberIds.IsWellFormed(id)));
        Assert.False(MemberIds.IsWellFormed("abcdefghijk1"));
        Assert.False(MemberIds.IsWellFormed("abc"));
        Assert.False(MemberIds.IsWellFormed(null));
    }

    [Fact]
    public void Continuations_are_opaque_signed_and_bound_to_their_listing()
    {
        var continuations = new Continuations(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var token = continuations.Encode("p|m|ledger", "0000000001|r1");
        Assert.DoesNotContain("|", token);
        Assert.True(continuations.TryDecode(token, "p|m|ledger", out var cursor));
        Assert.Equal("0000000001|r1", cursor);

        Assert.False(continuations.TryDecode(token, "p|other|ledger", out _));
        Assert.False(new Continuations(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TryDecode(token, "p|m|ledger", out _));
        var tampered = System.Buffers.Text.Base64Url.DecodeFromChars(token);
        tampered[0] ^= 1;
        var merelyDecodes = System.Buffers.Text.Base64Url.EncodeToString("0000000001|r1"u8);
        foreach (var bad in new[] { "", "!!", "a", "_-_-", System.Buffers.Text.Base64Url.EncodeToString(tampered), merelyDecodes, new string('A', 10_000) })
            Assert.False(continuations.TryDecode(bad, "p|m|ledger", out _), bad);
    }
}
