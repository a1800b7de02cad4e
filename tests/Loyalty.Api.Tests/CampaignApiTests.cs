using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Loyalty.Core.Access;
using Xunit;

namespace Loyalty.Api.Tests;

/// <summary>Segments and campaigns through the HTTP API of the real local host, as a marketer uses them.</summary>
public sealed class CampaignApiTests(LoyaltyApiFactory factory) : IClassFixture<LoyaltyApiFactory>
{
    private static object Campaign(string id, string code, string text = "Hi {firstName}, show {coupon} at the till.") => new
    {
        campaignId = id,
        name = "Spring runners",
        segmentId = "runners",
        offer = new { kind = "coupon", code },
        message = new { channel = "email", text },
        // Far enough ahead that the local host's campaign worker leaves it alone during the test.
        schedule = new { kind = "once", date = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)).ToString("yyyy-MM-dd"), time = "10:00:00" },
    };

    /// <summary>Segments and campaigns are read and written in the program resolved at the edge: one that is gone is answered there.</summary>
    [Fact]
    public async Task Segments_and_campaigns_of_a_program_that_does_not_exist_are_answered_program_not_found()
    {
        var (programId, marketing) = await factory.OrphanKeyAsync(Scope.Marketing);

        foreach (var answer in new[]
                 {
                     await marketing.PostAsJsonAsync("/api/v1/segments", new { segmentId = "runners", name = "Runners", definition = new { } }),
                     await marketing.GetAsync("/api/v1/segments"),
                     await marketing.PostAsJsonAsync("/api/v1/segments/preview", new { segmentId = "runners" }),
                     await marketing.PostAsJsonAsync("/api/v1/campaigns", Campaign("spring", "RUN10")),
                     await marketing.GetAsync("/api/v1/campaigns"),
                     await marketing.GetAsync("/api/v1/campaigns/spring"),
                     await marketing.PostAsync("/api/v1/campaigns/spring/schedule", null),
                     await marketing.PostAsync("/api/v1/campaigns/spring/cancel", null),
                     await marketing.GetAsync("/api/v1/campaigns/spring/statistics"),
                 })
            await LoyaltyApiFactory.AssertProgramNotFoundAsync(answer, programId);
    }

    [Fact]
    public async Task A_marketer_segments_previews_creates_schedules_measures_and_cancels_a_campaign()
    {
        var (programId, till) = await factory.NewProgramAsync(Scope.Pos | Scope.Store);
        var marketing = await factory.ClientForAsync(programId, Scope.Marketing);
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Created, (await till.PostAsJsonAsync("/api/v1/members", new
            {
                email = $"runner{i}@example.com",
                interests = i < 2 ? new[] { "Running" } : ["cooking"],
                consents = new { email = true },
            })).StatusCode);

        var segment = await marketing.PostAsJsonAsync("/api/v1/segments",
            new { segmentId = "runners", name = "Runners", definition = new { interests = new[] { "running" } } });
        Assert.Equal(HttpStatusCode.Created, segment.StatusCode);
        var preview = await Body(await marketing.PostAsJsonAsync("/api/v1/segments/preview", new { segmentId = "runners", exact = true }));
        Assert.Equal((2, 2, 3, true), ((int)preview["matching"]!, (int)preview["reachable"]!["email"]!, (int)preview["members"]!, (bool)preview["exact"]!));

        var code = "SPRING" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var created = await marketing.PostAsJsonAsync("/api/v1/campaigns", Campaign("spring", code));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("draft", (string)(await Body(created))["campaign"]!["status"]!);

        var scheduled = await Body(await marketing.PostAsync("/api/v1/campaigns/spring/schedule", null));
        Assert.Equal("scheduled", (string)scheduled["campaign"]!["status"]!);
        Assert.NotNull(scheduled["nextRunAt"]);

        // A receipt carrying the code (in another letter case) is a redemption; sent twice, it counts once.
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.OK, (await till.PostAsJsonAsync("/api/v1/receipts", new
            {
                id = "coupon-1",
                storeId = "s1",
                purchasedAt = DateTimeOffset.UtcNow.AddMinutes(-5),
                member = new { email = "runner0@example.com" },
                currency = "SEK",
                total = 200m,
                lines = new[] { new { sku = "shoe", quantity = 1, unitPrice = 200m, amount = 200m } },
                coupons = new[] { code.ToLowerInvariant() },
            })).StatusCode);
        var statistics = await Body(await marketing.GetAsync("/api/v1/campaigns/spring/statistics"));
        Assert.Equal(1, (int)statistics["statistics"]!["redemptions"]!);

        var cancelled = await Body(await marketing.PostAsync("/api/v1/campaigns/spring/cancel", null));
        Assert.Equal("cancelled", (string)cancelled["campaign"]!["status"]!);
        Assert.Null(cancelled["nextRunAt"]);
        var again = await marketing.PostAsync("/api/v1/campaigns/spring/schedule", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("campaign.invalid_transition", (string)(await Body(again))["violations"]![0]!["code"]!);
    }

    [Fact]
    public async Task Mistakes_get_problem_details_not_server_errors()
    {
        var (programId, till) = await factory.NewProgramAsync(Scope.Pos | Scope.Store);
        var marketing = await factory.ClientForAsync(programId, Scope.Marketing);
        Assert.Equal(HttpStatusCode.Created, (await marketing.PostAsJsonAsync("/api/v1/segments", new { segmentId = "runners", name = "Runners" })).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await till.GetAsync("/api/v1/campaigns")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await marketing.GetAsync("/api/v1/campaigns/nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await marketing.PostAsync("/api/v1/campaigns/nope/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await marketing.PostAsJsonAsync("/api/v1/segments", new { segmentId = "runners", name = "Again" })).StatusCode);

        var unknownField = await marketing.PostAsJsonAsync("/api/v1/campaigns", Campaign("typo", "TYPO1", "Hi {firstname}"));
        Assert.Equal(HttpStatusCode.BadRequest, unknownField.StatusCode);
        Assert.Contains("message.text", (await unknownField.Content.ReadAsStringAsync()));

        var unknownSegment = await marketing.PostAsJsonAsync("/api/v1/campaigns", new
        {
            campaignId = "orphan", name = "x", segmentId = "missing", offer = new { kind = "none" }, message = new { channel = "sms", text = "Hello" },
            schedule = new { kind = "once", date = "2030-01-01", time = "10:00:00" },
        });
        Assert.Equal(HttpStatusCode.NotFound, unknownSegment.StatusCode);

        Assert.Equal(HttpStatusCode.Created, (await marketing.PostAsJsonAsync("/api/v1/campaigns", Campaign("first", "SAMECODE"))).StatusCode);
        var taken = await marketing.PostAsJsonAsync("/api/v1/campaigns", Campaign("second", "samecode"));
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Equal("campaign.coupon_taken", (string)(await Body(taken))["violations"]![0]!["code"]!);
        Assert.Equal(HttpStatusCode.Conflict, (await marketing.PostAsJsonAsync("/api/v1/campaigns", Campaign("first", "OTHER"))).StatusCode);

        var badPreview = await marketing.PostAsJsonAsync("/api/v1/segments/preview", new { definition = new { points = new { min = 10, max = 5 } } });
        Assert.Equal(HttpStatusCode.BadRequest, badPreview.StatusCode);
    }

    private static async Task<JsonNode> Body(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("Empty body.");
}
