using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loyalty.Core.Access;
using Loyalty.Core.Application.MemberAuth;
using Loyalty.Core.Application.Privacy;
using Loyalty.Core.Events;

namespace Loyalty.Core.Tests;

/// <summary>Member tokens, raw-receipt rewriting and redaction: the pure parts of self-service and GDPR.</summary>
public class PrivacyTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly MemberTokenKeys Keys = new("a-signing-key-of-at-least-32-characters-1");
    private static readonly MemberTokenSigner Signer = new(Keys);

    [Fact]
    public void A_token_names_its_program_and_member_until_it_expires()
    {
        var token = Signer.Issue("zoo", "m1", Now, TimeSpan.FromMinutes(30));

        Assert.Equal(("zoo", "m1"), Signer.Validate(token, Now.AddMinutes(29)));
        Assert.Null(Signer.Validate(token, Now.AddMinutes(30)));
        var header = JsonNode.Parse(Base64Url.DecodeFromChars(token.Split('.')[0]))!;
        Assert.Equal(("HS256", Keys.CurrentKid), ((string?)header["alg"], (string?)header["kid"]));
    }

    [Fact]
    public void After_a_rotation_tokens_of_the_previous_key_still_hold_and_new_ones_use_the_new_key()
    {
        var old = Signer.Issue("zoo", "m1", Now, TimeSpan.FromMinutes(30));
        var rotated = new MemberTokenSigner(new MemberTokenKeys("the-next-signing-key-of-32-characters-or-more",
            ["a-signing-key-of-at-least-32-characters-1"]));
        var fresh = rotated.Issue("zoo", "m2", Now, TimeSpan.FromMinutes(30));

        Assert.Equal(("zoo", "m1"), rotated.Validate(old, Now));
        Assert.Equal(("zoo", "m2"), rotated.Validate(fresh, Now));
        Assert.Null(Signer.Validate(fresh, Now));
        Assert.Null(new MemberTokenSigner(new MemberTokenKeys("the-next-signing-key-of-32-characters-or-more")).Validate(old, Now));
    }

    [Fact]
    public void Forged_tokens_are_no_one()
    {
        var token = Signer.Issue("zoo", "m1", Now, TimeSpan.FromMinutes(30));
        var parts = token.Split('.');
        var otherMember = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1]))
            .Replace("\"m1\"", "\"m2\"", StringComparison.Ordinal)));
        var none = Base64Url.EncodeToString([.. "{\"alg\":\"none\",\"kid\":\""u8, .. Encoding.UTF8.GetBytes(Keys.CurrentKid), .. "\"}"u8]);

        Assert.Null(Signer.Validate($"{parts[0]}.{otherMember}.{parts[2]}", Now));
        Assert.Null(Signer.Validate($"{none}.{parts[1]}.", Now));
        Assert.Null(Signer.Validate($"{none}.{parts[1]}.{parts[2]}", Now));
        Assert.Null(Signer.Validate("", Now));
        Assert.Null(Signer.Validate("a.b", Now));
        Assert.Null(Signer.Validate("!!.??.**", Now));
        // Not UTF-8 inside a JSON string: System.Text.Json throws InvalidOperationException, not JsonException.
        Assert.Null(Signer.Validate($"{Base64Url.EncodeToString([.. "{\"alg\":\""u8, 0xD3, .. "\"}"u8])}.{parts[1]}.{parts[2]}", Now));
        Assert.Throws<ArgumentException>(() => new MemberTokenKeys("short"));
    }

    [Property(MaxTest = 500)]
    public Property Changing_any_one_character_of_a_token_makes_it_invalid() =>
        Prop.ForAll(Gen.Choose(0, 10_000).ToArbitrary(), Gen.Elements("ABCabc019-_.".ToCharArray()).ToArbitrary(), (position, replacement) =>
        {
            var token = Signer.Issue("zoo", "m1", Now, TimeSpan.FromMinutes(30));
            var index = position % token.Length;
            var changed = token[..index] + replacement + token[(index + 1)..];
            return changed == token || Signer.Validate(changed, Now) is null;
        });

    [Fact]
    public void Rate_windows_are_clock_hours()
    {
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 11, 0, 0, TimeSpan.Zero), MemberAuthOptions.WindowEnd(Now));
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 11, 0, 0, TimeSpan.Zero),
            MemberAuthOptions.WindowEnd(new DateTimeOffset(2026, 3, 2, 11, 59, 59, TimeSpan.FromHours(1))));
    }

    [Fact]
    public void Only_the_members_receipts_of_a_pos_message_are_exported_and_rewritten()
    {
        var message = """
            {"type":"loyalty.receipt.v1","programId":"zoo","receipts":[
              {"id":"r1","member":{"phone":"070-123 45 67"},"total":10},
              {"id":"r2","member":{"phone":"070-999 99 99"},"total":20}]}
            """u8.ToArray();
        var mine = new HashSet<string> { "r1" };

        var (id, payload) = Assert.Single(RawReceipts.Extract(message, mine));
        Assert.Equal(("r1", "070-123 45 67"), (id, payload.GetProperty("member").GetProperty("phone").GetString()));

        var scrubbed = RawReceipts.Scrub(message, mine, "m1")!;
        var text = Encoding.UTF8.GetString(scrubbed);
        Assert.DoesNotContain("070-123 45 67", text, StringComparison.Ordinal);
        Assert.Contains("070-999 99 99", text, StringComparison.Ordinal);
        Assert.Equal("m1", (string?)JsonNode.Parse(scrubbed)!["receipts"]![0]!["member"]!["memberId"]);
        Assert.Null(RawReceipts.Scrub(scrubbed, mine, "m1"));
    }

    [Fact]
    public void A_web_shop_receipt_is_one_receipt_and_anything_unreadable_is_left_alone()
    {
        var receipt = """{"id":"w1","member":{"email":"a@example.com"},"total":5}"""u8.ToArray();

        Assert.Equal("""{"memberId":"m1"}""", JsonNode.Parse(RawReceipts.Scrub(receipt, new HashSet<string> { "w1" }, "m1")!)!["member"]!.ToJsonString());
        Assert.Null(RawReceipts.Scrub(receipt, new HashSet<string> { "other" }, "m1"));
        Assert.Null(RawReceipts.Scrub("not json"u8.ToArray(), new HashSet<string> { "w1" }, "m1"));
        Assert.Empty(RawReceipts.Extract("[1,2]"u8.ToArray(), new HashSet<string> { "w1" }));
    }

    [Fact]
    public void Redaction_takes_out_every_value_whatever_its_case()
    {
        Assert.Equal("call from [erased] [erased] about [erased]", new Redaction(["Astrid", "lindgren", "A@Example.com"])
            .Scrub("call from ASTRID Lindgren about a@example.com"));
        Assert.Equal("case 17", new Redaction(["Astrid"]).Scrub("case 17"));
    }

    [Theory]
    [InlineData("call 070-555 00 22 back")]
    [InlineData("call 0705550022 back")]
    [InlineData("call +46 70 555 00 22 back")]
    [InlineData("call +46 (0)70-555 00 22 back")]
    [InlineData("call 0046 70 5550022 back")]
    [InlineData("call 46705550022 back")]
    [InlineData("call 070.555.00.22 back")]
    [InlineData("call 70 555 00 22 back")]
    public void Redaction_finds_a_phone_number_however_it_is_written(string reason)
    {
        Assert.Equal("call [erased] back", new Redaction([], phones: ["+46705550022"]).Scrub(reason));
    }

    [Fact]
    public void Redaction_finds_a_card_number_with_spaces_or_dashes_and_leaves_other_numbers_alone()
    {
        var redaction = new Redaction([], phones: ["+46705550022"], cards: ["9888503073562325", "AB12CD"]);

        Assert.Equal("card [erased] and [erased], case 2026-17", redaction.Scrub("card 9888 5030-7356 2325 and ab 12 cd, case 2026-17"));
        Assert.Equal("call 070-555 00 23", redaction.Scrub("call 070-555 00 23"));
    }

    [Fact]
    public void A_code_event_never_prints_its_code()
    {
        var issued = new MemberCodeIssued("m1/code:x/member.code", "zoo", "m1", new DateOnly(2026, 3, 2), "sms", "+46701234567", "123456", null, Now);

        Assert.Equal("member.code by sms to +46…67, code ******", issued.ToString());
        Assert.Equal("******", MemberCodeIssued.Mask("a@b.c"));
    }
}
