using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Loyalty.Core.Access;
using Xunit;

namespace Loyalty.Api.Tests;

/// <summary>Malformed and hostile values in every kind of field: each is a 4xx problem with a stable code, never a 500, and nothing is saved.</summary>
public sealed class InputGrammarApiTests(LoyaltyApiFactory factory) : IClassFixture<LoyaltyApiFactory>
{
    public static TheoryData<string> BadRequestIds =>
        ["till\u00007", "till\u00077", "till\u001b[0m", "till\n7", "kampanj-å", "\u200b", new string('r', 100_000)];

    [Theory]
    [MemberData(nameof(BadRequestIds))]
    public async Task Request_ids_outside_the_id_grammar_are_validation_problems_at_the_till(string requestId)
    {
        var (_, till) = await factory.NewProgramAsync();
        var memberId = await EnrolAsync(till, new { email = $"{Guid.NewGuid():N}@example.com" });

        var chosen = await till.PostAsJsonAsync($"/api/v1/members/{memberId}/vouchers", new { requestId, value = 100 });
        var redeemed = await till.PostAsJsonAsync($"/api/v1/members/{memberId}/vouchers/welcome/redemptions", new { requestId });

        await AssertViolationAsync(chosen, "invalid_identifier", "requestId");
        await AssertViolationAsync(redeemed, "invalid_identifier", "requestId");
    }

    [Fact]
    public async Task Voucher_and_campaign_ids_in_paths_are_checked_before_they_are_looked_up()
    {
        var (programId, till) = await factory.NewProgramAsync();
        var marketing = await factory.ClientForAsync(programId, Scope.Marketing);
        var memberId = await EnrolAsync(till, new { email = $"{Guid.NewGuid():N}@example.com" });

        await AssertViolationAsync(await till.PostAsJsonAsync($"/api/v1/members/{memberId}/vouchers/a%01b/redemptions", new { requestId = "r1" }),
            "invalid_identifier", "voucherId");
        await AssertViolationAsync(await marketing.GetAsync("/api/v1/campaigns/a%07b"), "invalid_identifier", "campaignId");
        await AssertViolationAsync(await marketing.PostAsync($"/api/v1/campaigns/{new string('c', 5_000)}/schedule", null), "invalid_identifier", "campaignId");
        await AssertViolationAsync(await marketing.GetAsync("/api/v1/campaigns/kampanj-%C3%A5/statistics"), "invalid_identifier", "campaignId");
        await AssertViolationAsync(
            await marketing.PostAsJsonAsync("/api/v1/segments/preview", new { segmentId = "a\u0000" }), "invalid_identifier", "segmentId");
    }

    [Fact]
    public async Task Non_ascii_segment_and_campaign_ids_are_refused_not_saved_so_a_retry_is_refused_the_same_way()
    {
        var (programId, _) = await factory.NewProgramAsync();
        var marketing = await factory.ClientForAsync(programId, Scope.Marketing);
        var segment = new { segmentId = "kampanj-å", name = "Å", definition = new { } };

        for (var attempt = 0; attempt < 2; attempt++)
            await AssertViolationAsync(await marketing.PostAsJsonAsync("/api/v1/segments", segment), "invalid_identifier", "segmentId");
        await AssertViolationAsync(await marketing.PostAsJsonAsync("/api/v1/campaigns", new
        {
            campaignId = "kampanj-å",
            name = "Vår",
            segment = new { },
            offer = new { kind = "none" },
            message = new { channel = "email", text = "Hej" },
            schedule = new { kind = "once", date = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)).ToString("yyyy-MM-dd"), time = "10:00:00" },
        }), "invalid_identifier", "campaignId");
        Assert.Empty((await MemberApiTests.Body(await marketing.GetAsync("/api/v1/segments"))).AsArray());
        Assert.Empty((await MemberApiTests.Body(await marketing.GetAsync("/api/v1/campaigns"))).AsArray());

        var created = await marketing.PostAsJsonAsync("/api/v1/segments", new { segmentId = "spring.2027:a_b", name = "Spring", definition = new { } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/v1/segments/spring.2027%3Aa_b", created.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Names_with_control_characters_or_only_invisible_ones_are_refused()
    {
        var (programId, _) = await factory.NewProgramAsync();
        var marketing = await factory.ClientForAsync(programId, Scope.Marketing);

        await AssertViolationAsync(await marketing.PostAsJsonAsync("/api/v1/segments", new { segmentId = "s1", name = "Runners\u0007", definition = new { } }),
            "out_of_range", "name");
        await AssertViolationAsync(await marketing.PostAsJsonAsync("/api/v1/segments", new { segmentId = "s1", name = "\u200b\u2060", definition = new { } }),
            "required", "name");
    }

    [Fact]
    public async Task A_program_version_that_could_overflow_or_starts_in_the_past_is_refused()
    {
        var (programId, _) = await factory.NewProgramAsync();
        var admin = await factory.ClientForAsync(programId, Scope.Admin);
        var latest = (await MemberApiTests.Body(await admin.GetAsync("/api/v1/program")))["latest"]!.AsObject();

        var generous = latest.DeepClone().AsObject();
        generous["version"] = 2;
        generous["effectiveFrom"] = DateTimeOffset.UtcNow.AddDays(1);
        generous["earn"]!["pointsPerCurrencyUnit"] = 1e12m;
        await AssertViolationAsync(await admin.PutAsJsonAsync("/api/v1/program", generous), "out_of_range", "earn.pointsPerCurrencyUnit");

        var backdated = latest.DeepClone().AsObject();
        backdated["version"] = 2;
        backdated["effectiveFrom"] = DateTimeOffset.UtcNow.AddDays(-1);
        await AssertViolationAsync(await admin.PutAsJsonAsync("/api/v1/program", backdated), "program.effective_from_in_past", "effectiveFrom");
    }

    [Fact]
    public async Task Receipts_over_the_line_limit_or_with_endless_skus_or_invisible_ids_are_refused()
    {
        var (_, till) = await factory.NewProgramAsync(Scope.Pos);
        object Receipt(string id, object[] lines, decimal total) => new
        {
            id, storeId = "s1", purchasedAt = DateTimeOffset.UtcNow.AddMinutes(-1), member = new { email = "a@example.com" }, currency = "SEK", total, lines,
        };

        var huge = Enumerable.Range(0, 100).Select(i => (object)new { sku = $"tv-{i}", category = "tv", quantity = 1, amount = 1_000_000_000m }).ToArray();
        await AssertViolationAsync(await till.PostAsJsonAsync("/api/v1/receipts", Receipt("huge-1", huge, 100_000_000_000m)), "line.amount_over_limit",
            "lines[0].amount");

        var longSku = new object[] { new { sku = new string('s', 100_000), category = new string('c', 100_000), quantity = 1, amount = 10m } };
        await AssertViolationAsync(await till.PostAsJsonAsync("/api/v1/receipts", Receipt("long-1", longSku, 10m)), "out_of_range", "lines[0].sku");

        var line = new object[] { new { sku = "a", category = "", quantity = 1, amount = 10m } };
        await AssertViolationAsync(await till.PostAsJsonAsync("/api/v1/receipts", Receipt("\u200b\u200b", line, 10m)), "invalid_identifier", "id");
        await AssertViolationAsync(await till.PostAsJsonAsync("/api/v1/receipts", Receipt("r\u00001", line, 10m)), "invalid_identifier", "id");
    }

    [Theory]
    [InlineData("a@b..com")]
    [InlineData("<script>@x.com")]
    [InlineData("a@b.c0m")]
    public async Task E_mail_addresses_outside_the_grammar_are_refused(string email)
    {
        var (_, till) = await factory.NewProgramAsync();
        await AssertViolationAsync(await till.PostAsJsonAsync("/api/v1/members", new { email }), "identity.invalid_email", "email");
    }

    [Theory]
    [InlineData("070-000 00 01 ext 5")]
    [InlineData("070-000 00 01\u0000")]
    public async Task A_phone_number_with_an_extension_or_a_nul_does_not_find_the_member_who_has_the_number(string phone)
    {
        var (_, till) = await factory.NewProgramAsync();
        await EnrolAsync(till, new { phone = "070-000 00 01" });

        await AssertViolationAsync(await till.PostAsJsonAsync("/api/v1/members/identify", new { phone }), "identity.invalid_phone", "phone");
        await AssertViolationAsync(await till.PostAsJsonAsync("/api/v1/members", new { phone }), "identity.invalid_phone", "phone");
    }

    [Fact]
    public async Task A_member_name_of_only_invisible_characters_or_with_control_characters_is_refused_and_an_empty_one_clears()
    {
        var (_, till) = await factory.NewProgramAsync();
        await AssertViolationAsync(
            await till.PostAsJsonAsync("/api/v1/members", new { firstName = "\u200b\u3164", email = "a@example.com" }), "out_of_range", "firstName");
        await AssertViolationAsync(
            await till.PostAsJsonAsync("/api/v1/members", new { firstName = "\n\r\t", email = "a@example.com" }), "out_of_range", "firstName");
        await AssertViolationAsync(
            await till.PostAsJsonAsync("/api/v1/members", new { firstName = "Anna\n", email = "a@example.com" }), "out_of_range", "firstName");

        var memberId = await EnrolAsync(till, new { firstName = "Anna", email = $"{Guid.NewGuid():N}@example.com" });
        var cleared = await till.PatchAsJsonAsync($"/api/v1/members/{memberId}", new { firstName = "" });
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Null((await MemberApiTests.Body(cleared))["profile"]!["firstName"]);
    }

    [Fact]
    public async Task A_continuation_token_that_merely_decodes_is_refused()
    {
        var (_, till) = await factory.NewProgramAsync();
        var memberId = await EnrolAsync(till, new { email = $"{Guid.NewGuid():N}@example.com" });
        var decodes = System.Buffers.Text.Base64Url.EncodeToString("0000000001|r1"u8);

        await AssertViolationAsync(
            await till.GetAsync($"/api/v1/members/{memberId}/receipts?continuation={decodes}"), "page.invalid_continuation", "continuation");
        await AssertViolationAsync(
            await till.GetAsync($"/api/v1/members/{memberId}/ledger?continuation={decodes}"), "page.invalid_continuation", "continuation");
    }

    private static async Task<string> EnrolAsync(HttpClient till, object body)
    {
        var enrolled = await till.PostAsJsonAsync("/api/v1/members", body);
        Assert.Equal(HttpStatusCode.Created, enrolled.StatusCode);
        return (string)(await MemberApiTests.Body(enrolled))["profile"]!["memberId"]!;
    }

    private static async Task AssertViolationAsync(HttpResponseMessage response, string code, string path)
    {
        var body = await MemberApiTests.Body(response);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body.ToJsonString()}");
        Assert.Equal("urn:loyalty-functions:problem:validation", (string?)body["type"]);
        Assert.Contains(body["violations"]!.AsArray(), v => (string?)v!["code"] == code && (string?)v["path"] == path);
    }
}
