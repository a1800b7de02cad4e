using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loyalty.Core.Application.Jobs;

namespace Loyalty.Core.Tests;

/// <summary>What the Azure Functions orchestrations rely on: wave inputs and instance ids.</summary>
public class JobWavesTests
{
    [Property(MaxTest = 200)]
    public Property Waves_hand_out_every_shard_once_in_order_and_none_is_too_big() =>
        Prop.ForAll(Gen.Choose(0, 3_000).ToArbitrary(), Gen.Choose(1, 100).ToArbitrary(), (shards, size) =>
        {
            var plan = new JobPlan(new JobKey("p", "job", "run"), [.. Enumerable.Range(0, shards)]);
            var waves = plan.Waves(size);
            Assert.Equal(plan.Shards, waves.SelectMany(w => w));
            Assert.All(waves, w => Assert.InRange(w.Count, 1, size));
            Assert.Equal((shards + size - 1) / size, waves.Count);
        });

    [Theory]
    [InlineData("demo", "nightly-review", "20271231", "nightly-review-demo-20271231")]
    [InlineData("demo", "campaign", "advent/20271201T0800", "campaign-demo-advent-20271201T0800")]
    [InlineData("a#b", "job", "x?y\\z\n", "job-a-b-x-y-z-")]
    public void Instance_ids_follow_the_key_without_characters_durable_refuses(string program, string job, string run, string expected) =>
        Assert.Equal(expected, new JobKey(program, job, run).InstanceId());

    [Fact]
    public void A_nightly_run_key_gives_back_its_date_and_other_keys_are_refused()
    {
        var date = new DateOnly(2027, 3, 28);
        Assert.Equal(date, NightlyReview.DateOf(NightlyReview.Key("demo", date)));
        Assert.Throws<ArgumentException>(() => NightlyReview.DateOf(new JobKey("demo", "campaign", "20270328")));
        Assert.Throws<ArgumentException>(() => NightlyReview.DateOf(new JobKey("demo", NightlyReview.JobName, "2027-03-28")));
    }

    [Fact]
    public void Wave_instance_ids_sort_in_wave_order() =>
        Assert.True(string.CompareOrdinal(JobWaves.WaveInstanceId("run", 9), JobWaves.WaveInstanceId("run", 10)) < 0);

    /// <summary>
    /// Durable passes activity inputs and results through the worker's JSON serializer (web defaults: camelCase,
    /// case-insensitive); the job records must survive that unchanged.
    /// </summary>
    [Fact]
    public void Job_records_survive_the_durable_serializer()
    {
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var counts = JobCounts.Zero.Add(NightlyReview.Counts.Reviewed, 100).Add(NightlyReview.Counts.Downgraded, 7);
        var result = new ShardResult(17, counts, counts.Add(NightlyReview.Counts.Reviewed, -40), Skipped: false);
        var run = new NightlyRun("demo", new DateOnly(2027, 12, 31));
        var plan = new JobPlan(NightlyReview.Key("demo", run.Date), [0, 1, 2]);

        var back = JsonSerializer.Deserialize<ShardResult>(JsonSerializer.Serialize(result, web), web)!;
        Assert.Equal(result.Shard, back.Shard);
        Assert.Equal(result.Counts, back.Counts);
        Assert.Equal(result.ThisRun, back.ThisRun);
        Assert.Equal(run, JsonSerializer.Deserialize<NightlyRun>(JsonSerializer.Serialize(run, web), web));
        var planBack = JsonSerializer.Deserialize<JobPlan>(JsonSerializer.Serialize(plan, web), web)!;
        Assert.Equal(plan.Key, planBack.Key);
        Assert.Equal(plan.Shards, planBack.Shards);
    }
}
