using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Loyalty.Core.Access;
using Xunit;

namespace Loyalty.Api.Tests;

/// <summary>Operators acting on jobs through the HTTP API of the real local host: run now, watch per shard, run again.</summary>
public sealed class JobApiTests(LoyaltyApiFactory factory) : IClassFixture<LoyaltyApiFactory>
{
    /// <summary>A run is started and read in the program resolved at the edge: one that is gone is answered there.</summary>
    [Fact]
    public async Task Runs_in_a_program_that_does_not_exist_are_answered_program_not_found()
    {
        var (programId, operators) = await factory.OrphanKeyAsync(Scope.Admin | Scope.Marketing);

        foreach (var answer in new[]
                 {
                     await operators.PostAsync("/api/v1/nightly-reviews/2027-01-01/run", null),
                     await operators.GetAsync("/api/v1/nightly-reviews/2027-01-01"),
                     await operators.PostAsync("/api/v1/campaigns/spring/run", null),
                     await operators.GetAsync("/api/v1/campaigns/spring/runs/20270101T1000"),
                 })
            await LoyaltyApiFactory.AssertProgramNotFoundAsync(answer, programId);
    }

    [Fact]
    public async Task An_admin_runs_a_night_now_reads_its_progress_per_shard_and_a_second_run_changes_nothing()
    {
        var (programId, _) = await factory.NewProgramAsync();
        var admin = await factory.ClientForAsync(programId, Scope.Admin);
        // Two days back: not a night the local host's nightly worker would run by itself meanwhile.
        var night = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-2)).ToString("yyyy-MM-dd");

        var started = await admin.PostAsync($"/api/v1/nightly-reviews/{night}/run", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.False((bool)(await Body(started))["alreadyDone"]!);
        Assert.Equal($"/api/v1/nightly-reviews/{night}", started.Headers.Location!.OriginalString);
        var done = await CompleteAsync(admin, started.Headers.Location.OriginalString);
        Assert.Equal((int)done["shards"]!, (int)done["shardsDone"]!);
        Assert.Equal((int)done["shards"]!, done["shardList"]!.AsArray().Count);

        var again = await admin.PostAsync($"/api/v1/nightly-reviews/{night}/run", null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var answer = await Body(again);
        Assert.True((bool)answer["alreadyDone"]!);
        Assert.Equal(done.ToJsonString(), answer["progress"]!.ToJsonString());

        var future = await admin.PostAsync($"/api/v1/nightly-reviews/{DateOnly.FromDateTime(DateTime.UtcNow.AddDays(3)):yyyy-MM-dd}/run", null);
        Assert.Equal(HttpStatusCode.Conflict, future.StatusCode);
        Assert.Equal("nightly.date_in_future", (string)(await Body(future))["violations"]![0]!["code"]!);
        var invalid = await admin.PostAsync("/api/v1/nightly-reviews/2027-02-30/run", null);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("nightly.date_invalid", (string)(await Body(invalid))["violations"]![0]!["code"]!);
        var marketing = await factory.ClientForAsync(programId, Scope.Marketing);
        Assert.Equal(HttpStatusCode.Forbidden, (await marketing.PostAsync($"/api/v1/nightly-reviews/{night}/run", null)).StatusCode);
    }

    [Fact]
    public async Task A_marketer_runs_a_scheduled_campaign_now_and_every_reachable_member_gets_it_once()
    {
        var (programId, till) = await factory.NewProgramAsync(Scope.Pos | Scope.Store);
        var marketing = await factory.ClientForAsync(programId, Scope.Marketing);
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Created, (await till.PostAsJsonAsync("/api/v1/members",
                new { email = $"now{i}@example.com", consents = new { email = i < 2 } })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await marketing.PostAsJsonAsync("/api/v1/segments", new { segmentId = "all", name = "Everyone" })).StatusCode);
        foreach (var id in new[] { "later", "draft" })
            Assert.Equal(HttpStatusCode.Created, (await marketing.PostAsJsonAsync("/api/v1/campaigns", new
            {
                campaignId = id,
                name = "Next month",
                segmentId = "all",
                offer = new { kind = "none" },
                message = new { channel = "email", text = "Hi {firstName}" },
                schedule = new { kind = "once", date = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)).ToString("yyyy-MM-dd"), time = "10:00:00" },
            })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await marketing.PostAsync("/api/v1/campaigns/later/schedule", null)).StatusCode);

        var started = await marketing.PostAsync("/api/v1/campaigns/later/run", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.StartsWith("/api/v1/campaigns/later/runs/", started.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var done = await CompleteAsync(marketing, started.Headers.Location.OriginalString);
        Assert.Equal(2, (int)done["counts"]!["values"]!["delivered"]!);
        Assert.Equal(1, (int)done["counts"]!["values"]!["notReachable"]!);

        var campaign = await Body(await marketing.GetAsync("/api/v1/campaigns/later"));
        Assert.Equal("completed", (string)campaign["campaign"]!["status"]!);
        foreach (var id in new[] { "later", "draft" })
        {
            var refused = await marketing.PostAsync($"/api/v1/campaigns/{id}/run", null);
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal("campaign.invalid_transition", (string)(await Body(refused))["violations"]![0]!["code"]!);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await marketing.PostAsync("/api/v1/campaigns/nothing/run", null)).StatusCode);
    }

    /// <summary>Reads a progress resource until the run is complete (the run goes on in the host's background).</summary>
    internal static async Task<JsonNode> CompleteAsync(HttpClient client, string location)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var progress = await Body(await client.GetAsync(location));
            if ((bool)progress["complete"]!) return progress;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{location} did not complete within a minute.");
    }

    private static async Task<JsonNode> Body(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
}
