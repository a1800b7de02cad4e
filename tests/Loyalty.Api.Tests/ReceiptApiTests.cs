using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Loyalty.Core.Access;
using static Loyalty.Testing.Samples;
using Xunit;

namespace Loyalty.Api.Tests;

/// <summary>The web shop's way in: POST /api/v1/receipts against the real local host and real Azurite.</summary>
public sealed class ReceiptApiTests(LoyaltyApiFactory factory) : IClassFixture<LoyaltyApiFactory>
{
    /// <summary>Receipts are applied and parked ones handled in the program resolved at the edge: one that is gone is answered there.</summary>
    [Fact]
    public async Task Receipts_of_a_program_that_does_not_exist_are_answered_program_not_found()
    {
        var (programId, client) = await factory.OrphanKeyAsync(Scope.Pos | Scope.Store | Scope.Admin);

        foreach (var answer in new[]
                 {
                     await client.PostAsJsonAsync("/api/v1/receipts", Receipt("web-1", new { phone = "+46709876543" })),
                     await client.GetAsync("/api/v1/receipts/parked"),
                     await client.PostAsync("/api/v1/receipts/parked/web-1/retry", null),
                     await client.DeleteAsync("/api/v1/receipts/parked/web-1"),
                 })
            await LoyaltyApiFactory.AssertProgramNotFoundAsync(answer, programId);
    }

    [Fact]
    public async Task A_receipt_is_applied_once_and_a_resend_returns_the_same_outcome()
    {
        var (_, client) = await factory.NewProgramAsync(Scope.Pos | Scope.Store);
        var enrolled = await Body(await client.PostAsJsonAsync("/api/v1/members", new { phone = "0709876543" }));
        var memberId = (string)enrolled["profile"]!["memberId"]!;

        var first = await client.PostAsJsonAsync("/api/v1/receipts", Receipt("web-1", new { phone = "+46709876543" }));
        var again = await client.PostAsJsonAsync("/api/v1/receipts", Receipt("web-1", new { phone = "+46709876543" }));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, again.StatusCode));
        var (one, two) = (await Body(first), await Body(again));
        Assert.Equal("applied", (string)one["status"]!);
        Assert.Equal(memberId, (string)one["memberId"]!);
        Assert.Equal(1_234, (long)one["outcome"]!["pointsEarned"]!);
        Assert.Equal(one.ToJsonString(), two.ToJsonString());
        var member = await Body(await client.GetAsync($"/api/v1/members/{memberId}"));
        Assert.Equal(1_234, (long)member["view"]!["qualifyingPoints"]!);

        var returned = await client.PostAsJsonAsync("/api/v1/receipts", Receipt("web-1-r", new { memberId }, returnOf: "web-1"));
        Assert.Equal(-1_234, (long)(await Body(returned))["outcome"]!["pointsEarned"]!);
    }

    [Fact]
    public async Task An_unknown_identifier_is_parked_with_202_and_listed_until_it_enrols()
    {
        var (_, client) = await factory.NewProgramAsync(Scope.Pos | Scope.Store);

        var parked = await client.PostAsJsonAsync("/api/v1/receipts", Receipt("web-2", new { email = "New.Customer@Example.com" }));

        Assert.Equal(HttpStatusCode.Accepted, parked.StatusCode);
        Assert.Equal("parked", (string)(await Body(parked))["status"]!);
        var list = await Body(await client.GetAsync("/api/v1/receipts/parked"));
        Assert.Equal("new.customer@example.com", (string)list["items"]![0]!["identifier"]!);

        await client.PostAsJsonAsync("/api/v1/members", new { email = "new.customer@example.com" });
        Assert.Empty((await Body(await client.GetAsync("/api/v1/receipts/parked")))["items"]!.AsArray());
    }

    [Fact]
    public async Task An_admin_retries_a_refused_parked_receipt_once_the_account_allows_it_or_discards_it_and_both_are_audited()
    {
        var (programId, client) = await factory.NewProgramAsync(Scope.Pos | Scope.Store);
        var admin = await factory.ClientForAsync(programId, Scope.Admin);
        // Returns parked before their purchase reached the member: the enrolment replays them and the account refuses them.
        foreach (var (id, phone, returnOf) in new[] { ("ret-1", "0706000001", "buy-1"), ("ret-2", "0706000001", "never-sold"),
            ("waiting", "0706000002", null) })
            Assert.Equal(HttpStatusCode.Accepted,
                (await client.PostAsJsonAsync("/api/v1/receipts", Receipt(id, new { phone }, returnOf: returnOf))).StatusCode);
        var memberId = (string)(await Body(await client.PostAsJsonAsync("/api/v1/members", new { phone = "0706000001" })))["profile"]!["memberId"]!;
        var refused = (await Body(await client.GetAsync("/api/v1/receipts/parked")))["items"]!.AsArray().Where(p => p!["refused"] is not null);
        Assert.Equal(["ret-1", "ret-2"], refused.Select(p => (string)p!["receipt"]!["id"]!).Order());

        var still = await admin.PostAsync("/api/v1/receipts/parked/ret-1/retry", null);
        Assert.Equal(HttpStatusCode.Conflict, still.StatusCode);
        Assert.Equal(["receipt.parked_refused", "return.original_not_found"], (await Body(still))["violations"]!.AsArray().Select(v => (string)v!["code"]!));

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/receipts", Receipt("buy-1", new { memberId }))).StatusCode);
        var retry = new HttpRequestMessage(HttpMethod.Post, "/api/v1/receipts/parked/ret-1/retry") { Headers = { { "X-Audit-Reason", "case 12" } } };
        var retried = await admin.SendAsync(retry);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var applied = await Body(retried);
        Assert.Equal(("applied", memberId, -1_234L), ((string)applied["status"]!, (string)applied["memberId"]!, (long)applied["outcome"]!["pointsEarned"]!));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/v1/receipts/parked/ret-1/retry", null)).StatusCode);

        var discarded = await admin.DeleteAsync("/api/v1/receipts/parked/ret-2");
        Assert.Equal(HttpStatusCode.OK, discarded.StatusCode);
        Assert.Equal("ret-2", (string)(await Body(discarded))["receipt"]!["id"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/api/v1/receipts/parked/ret-2")).StatusCode);

        // Nobody holds "waiting"'s phone: it is left for the enrolment that will; staff keys may not touch parked receipts.
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync("/api/v1/receipts/parked/waiting/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.DeleteAsync("/api/v1/receipts/parked/waiting")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.DeleteAsync("/api/v1/receipts/parked/waiting")).StatusCode);
        Assert.Equal(["waiting"], (await Body(await client.GetAsync("/api/v1/receipts/parked")))["items"]!.AsArray()
            .Select(p => (string)p!["receipt"]!["id"]!));

        Assert.Equal(["buy-1", "ret-1"], (await Body(await client.GetAsync($"/api/v1/members/{memberId}/receipts")))["items"]!.AsArray()
            .Select(r => (string)r!["receiptId"]!).Order());
        var trail = (await Body(await admin.GetAsync($"/api/v1/audit?memberId={memberId}")))["items"]!.AsArray();
        Assert.Equal([("receipt.parked_discard", "ret-2", null), ("receipt.parked_retry", "ret-1: applied", "case 12"),
        ("receipt.parked_retry", "ret-1: refused", null)],
            trail.Select(e => ((string)e!["action"]!, (string)e["detail"]!, (string?)e["reason"])));
    }

    [Fact]
    public async Task Mistakes_are_problems_not_500s()
    {
        var (programId, client) = await factory.NewProgramAsync(Scope.Pos);

        var invalid = await client.PostAsJsonAsync("/api/v1/receipts",
            new { id = "x", purchasedAt = DateTimeOffset.UtcNow, currency = "SEK", total = 1, lines = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("receipt.no_lines", await invalid.Content.ReadAsStringAsync());

        var unknownField = await client.PostAsJsonAsync("/api/v1/receipts",
            new { id = "x", purchasedAt = DateTimeOffset.UtcNow, currency = "SEK", total = 1, lines = Array.Empty<object>(), memberID = "typo" });
        Assert.Equal(HttpStatusCode.BadRequest, unknownField.StatusCode);

        foreach (var body in new[]
        {
            """{"id":"t-1","purchasedAt":"2026-03-01T10:00:00","currency":"SEK","total":1,"lines":[{"sku":"a","quantity":1,"amount":1}]}""",
            """{"id":"t-1","ID":"t-2","purchasedAt":"2026-03-01T10:00:00Z","currency":"SEK","total":1,"lines":[{"sku":"a","quantity":1,"amount":1}]}""",
            """{"id":"t-1","id":"t-2","purchasedAt":"2026-03-01T10:00:00Z","currency":"SEK","total":1,"lines":[{"sku":"a","quantity":1,"amount":1}]}""",
        })
        {
            var refused = await client.PostAsync("/api/v1/receipts", Json.Body(body));
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{body} → {(int)refused.StatusCode} {await refused.Content.ReadAsStringAsync()}");
        }

        var pos = await factory.ClientForAsync(programId, Scope.Pos | Scope.Store);
        var memberId = (string)(await Body(await pos.PostAsJsonAsync("/api/v1/members", new { firstName = "Ola" })))["profile"]!["memberId"]!;
        var orphanReturn = await client.PostAsJsonAsync("/api/v1/receipts", Receipt("r-9", new { memberId }, returnOf: "never-sold"));
        Assert.Equal(HttpStatusCode.Conflict, orphanReturn.StatusCode);
        Assert.Contains("return.original_not_found", await orphanReturn.Content.ReadAsStringAsync());

        var storeKey = await factory.ClientForAsync(programId, Scope.Marketing);
        Assert.Equal(HttpStatusCode.Forbidden, (await storeKey.PostAsJsonAsync("/api/v1/receipts", Receipt("web-3", null))).StatusCode);
    }

    private static async Task<JsonNode> Body(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("Empty body.");
}
