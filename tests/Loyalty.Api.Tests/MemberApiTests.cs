using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Loyalty.Core.Access;
using Microsoft.AspNetCore.Hosting;
using Xunit;

namespace Loyalty.Api.Tests;

/// <summary>Enrol, identify and redeem through HTTP against the real local host and real Azurite.</summary>
public sealed class MemberApiTests(LoyaltyApiFactory factory) : IClassFixture<LoyaltyApiFactory>
{
    private static readonly object Astrid = new
    {
        firstName = "Astrid",
        lastName = "Lindgren",
        phone = "070-123 45 67",
        email = "Astrid.Lindgren@Example.com",
        externalId = "web-4711",
        birthDate = "1907-11-14",
        consents = new { email = true, sms = false },
    };

    /// <summary>This host names no program for My pages, so nobody is signed in without a key, member or not.</summary>
    [Fact]
    public async Task Key_less_sign_in_is_a_not_found_problem_where_no_program_is_named_for_my_pages()
    {
        var (_, staff) = await factory.NewProgramAsync();
        Assert.Equal(HttpStatusCode.Created, (await staff.PostAsJsonAsync("/api/v1/members", Astrid)).StatusCode);
        var anonymous = factory.CreateClient();

        foreach (var (path, body) in new (string, object)[]
                 {
                     ("/api/v1/member-auth/pages/codes", new { phone = "070-123 45 67" }),
                     ("/api/v1/member-auth/pages/tokens", new { phone = "070-123 45 67", code = "123456" }),
                 })
        {
            var answer = await anonymous.PostAsJsonAsync(path, body);
            Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
            Assert.Equal(Http.Problems.NotFoundType, (string?)(await Body(answer))["type"]);
        }
    }

    /// <summary>
    /// The program is resolved once, where the request comes in: a key whose program is gone, or My pages naming a
    /// program that does not exist, reaches no service.
    /// </summary>
    [Fact]
    public async Task A_program_that_does_not_exist_is_answered_program_not_found_at_the_edge()
    {
        var (programId, client) = await factory.OrphanKeyAsync(Scope.Pos | Scope.Store);
        await using var pagesHost = factory.WithWebHostBuilder(host => host.UseSetting("MemberAuth:PagesProgramId", programId));

        foreach (var answer in new[]
                 {
                     await client.PostAsJsonAsync("/api/v1/members", Astrid), await client.GetAsync("/api/v1/members/m1"),
                     await pagesHost.CreateClient().PostAsJsonAsync("/api/v1/member-auth/pages/codes", new { phone = "070-123 45 67" }),
                 })
            await LoyaltyApiFactory.AssertProgramNotFoundAsync(answer, programId);
    }

    [Fact]
    public async Task Enrolled_member_is_found_by_every_identifier_with_the_till_view()
    {
        var (_, client) = await factory.NewProgramAsync();

        var enrolled = await client.PostAsJsonAsync("/api/v1/members", Astrid);
        Assert.Equal(HttpStatusCode.Created, enrolled.StatusCode);
        var member = await Body(enrolled);
        var memberId = (string)member["profile"]!["memberId"]!;
        var card = (string)member["profile"]!["cardNumber"]!;
        Assert.Equal($"/api/v1/members/{memberId}", enrolled.Headers.Location?.ToString());
        Assert.Equal("+46701234567", (string)member["profile"]!["phone"]!);
        Assert.Equal("astrid.lindgren@example.com", (string)member["profile"]!["email"]!);

        var view = member["view"]!;
        Assert.Equal("Bronze", (string)view["tier"]!);
        Assert.Equal(0, (long)view["balance"]!);
        Assert.Equal("Silver", (string)view["nextTier"]!);
        Assert.Equal(5_000, (long)view["pointsToNextTier"]!);
        Assert.Equal(50m, (decimal)view["openVouchers"]![0]!["value"]!);

        object[] identifiers =
        [
            new { memberId }, new { cardNumber = card }, new { phone = "+46 70 123 45 67" }, new { phone = "0701234567" },
            new { email = "ASTRID.LINDGREN@example.COM" }, new { externalId = "web-4711" },
        ];
        foreach (var identifier in identifiers)
        {
            var found = await client.PostAsJsonAsync("/api/v1/members/identify", identifier);
            Assert.Equal(HttpStatusCode.OK, found.StatusCode);
            Assert.Equal(memberId, (string)(await Body(found))["profile"]!["memberId"]!);
        }

        var got = await client.GetAsync($"/api/v1/members/{memberId}");
        Assert.Equal(HttpStatusCode.OK, got.StatusCode);
    }

    [Fact]
    public async Task A_phone_number_already_enrolled_is_a_conflict()
    {
        var (_, client) = await factory.NewProgramAsync();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/members", new { phone = "0709876543" })).StatusCode);

        var second = await client.PostAsJsonAsync("/api/v1/members", new { phone = "+46 70 987 65 43", email = "other@example.com" });

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var problem = await Body(second);
        Assert.Equal("urn:loyalty-functions:problem:conflict", (string)problem["type"]!);
        Assert.Equal("identity.taken", (string)problem["violations"]![0]!["code"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/api/v1/members/identify", new { email = "other@example.com" })).StatusCode);
    }

    [Fact]
    public async Task Twenty_concurrent_redemptions_of_one_voucher_succeed_exactly_once()
    {
        var (_, client) = await factory.NewProgramAsync();
        var member = await Body(await client.PostAsJsonAsync("/api/v1/members", new { email = "race@example.com" }));
        var memberId = (string)member["profile"]!["memberId"]!;
        var voucherId = (string)member["view"]!["openVouchers"]![0]!["id"]!;

        var attempts = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            client.PostAsJsonAsync($"/api/v1/members/{memberId}/vouchers/{voucherId}/redemptions", new { requestId = $"till-{i}" })));

        Assert.Single(attempts, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(attempts.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        var after = await Body(await client.GetAsync($"/api/v1/members/{memberId}"));
        Assert.Empty(after["view"]!["openVouchers"]!.AsArray());
    }

    [Fact]
    public async Task Keys_are_checked_for_presence_validity_scope_and_program()
    {
        var (programA, storeA) = await factory.NewProgramAsync();
        var memberId = (string)(await Body(await storeA.PostAsJsonAsync("/api/v1/members", new { email = "a@example.com" })))["profile"]!["memberId"]!;
        var (_, storeB) = await factory.NewProgramAsync();
        var marketingA = await factory.ClientForAsync(programA, Scope.Marketing);
        var anonymous = factory.CreateClient();
        var forged = factory.CreateClient();
        forged.DefaultRequestHeaders.Add("X-Api-Key", "lf_abcdefghijkmnpqr_not-the-secret");

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/v1/members/{memberId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync($"/api/v1/members/{memberId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await marketingA.PostAsJsonAsync("/api/v1/members", new { email = "b@example.com" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await marketingA.GetAsync($"/api/v1/members/{memberId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await storeB.GetAsync($"/api/v1/members/{memberId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await storeB.PostAsJsonAsync("/api/v1/members/identify", new { email = "a@example.com" })).StatusCode);
    }

    [Fact]
    public async Task Health_needs_no_key_and_the_OpenAPI_document_lists_the_routes()
    {
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/health")).StatusCode);
        var openApi = await Body(await client.GetAsync("/openapi/v1.json"));
        Assert.NotNull(openApi["paths"]!["/api/v1/members/identify"]);
    }

    internal static async Task<JsonNode> Body(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("Empty body.");
}
