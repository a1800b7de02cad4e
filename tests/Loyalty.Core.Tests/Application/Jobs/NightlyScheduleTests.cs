using System.Collections.Concurrent;
using System.Collections.Immutable;
using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Members;
using Loyalty.Core.Programs;
using Microsoft.Extensions.Time.Testing;
using static Loyalty.Core.Tests.Seeds;

namespace Loyalty.Core.Tests;

/// <summary>When the nightly review falls due, which version files a member when, and how the local job runner resumes.</summary>
public class NightlyScheduleTests
{
    private static readonly TimeZoneInfo Stockholm = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");
    private static readonly NightlySchedule Schedule = NightlySchedule.Default;

    [Theory]
    // Winter (UTC+1): 02:00 local is 01:00Z.
    [InlineData("2026-12-31T23:30:00Z", "2026-12-31")] // 00:30 on 1 January: still the 31st's night
    [InlineData("2027-01-01T00:59:59Z", "2026-12-31")]
    [InlineData("2027-01-01T01:00:00Z", "2027-01-01")] // 02:00 local: the window of 2026 closes now
    [InlineData("2027-01-01T22:00:00Z", "2027-01-01")]
    // Summer (UTC+2): 02:00 local is 00:00Z.
    [InlineData("2026-07-14T23:59:00Z", "2026-07-14")]
    [InlineData("2026-07-15T00:00:00Z", "2026-07-15")]
    public void The_due_date_is_today_once_the_local_time_has_come(string now, string due) =>
        Assert.Equal(DateOnly.Parse(due), Schedule.DueDate("zoo", Stockholm, DateTimeOffset.Parse(now)));

    [Fact]
    public void A_time_in_the_spring_forward_gap_falls_due_when_the_gap_ends()
    {
        // 29 March 2026: clocks jump from 02:00 to 03:00 in Stockholm, so 02:30 never shows.
        var schedule = Schedule with { At = new TimeOnly(2, 30) };
        var evening = new DateTimeOffset(2026, 3, 28, 20, 0, 0, TimeSpan.Zero);
        var due = schedule.NextRunAt("zoo", Stockholm, evening);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 3, 0, 0, TimeSpan.FromHours(2)), due);
        Assert.Equal(new DateOnly(2026, 3, 28), schedule.DueDate("zoo", Stockholm, due.AddTicks(-1)));
        Assert.Equal(new DateOnly(2026, 3, 29), schedule.DueDate("zoo", Stockholm, due));
    }

    [Fact]
    public void A_time_in_the_fall_back_hour_falls_due_at_its_first_occurrence()
    {
        // 25 October 2026: 02:00–03:00 happens twice in Stockholm; the first 02:30 is still summer time.
        var schedule = Schedule with { At = new TimeOnly(2, 30) };
        var due = schedule.NextRunAt("zoo", Stockholm, new DateTimeOffset(2026, 10, 24, 20, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), due.ToUniversalTime());
        // The second 02:30 (an hour later) is the same night: nothing new falls due.
        Assert.Equal(new DateOnly(2026, 10, 25), schedule.DueDate("zoo", Stockholm, due.AddHours(1)));
        Assert.Equal(new DateOnly(2026, 10, 26), schedule.DueDate("zoo", Stockholm, schedule.NextRunAt("zoo", Stockholm, due)));
    }

    [Fact]
    public void A_program_can_run_at_its_own_time()
    {
        var schedule = Schedule with { Programs = ImmutableDictionary<string, TimeOnly>.Empty.Add("late", new TimeOnly(4, 15)) };
        var at = new DateTimeOffset(2027, 1, 1, 2, 0, 0, TimeSpan.Zero); // 03:00 local
        Assert.Equal(new DateOnly(2027, 1, 1), schedule.DueDate("zoo", Stockholm, at));
        Assert.Equal(new DateOnly(2026, 12, 31), schedule.DueDate("late", Stockholm, at));
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 4, 15, 0, TimeSpan.FromHours(1)), schedule.NextRunAt("late", Stockholm, at));
    }

    [Theory]
    [InlineData("Europe/Stockholm", 2, 0)]
    [InlineData("Europe/Stockholm", 2, 30)]
    [InlineData("America/New_York", 2, 15)]
    [InlineData("Australia/Lord_Howe", 2, 0)] // a half-hour DST shift
    [InlineData("Pacific/Auckland", 0, 0)]
    public void Each_date_falls_due_exactly_once_and_in_order(string zoneId, int hour, int minute)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var schedule = Schedule with { At = new TimeOnly(hour, minute) };
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var date = schedule.DueDate("zoo", zone, now);
        for (var i = 0; i < 400; i++)
        {
            var next = schedule.NextRunAt("zoo", zone, now);
            Assert.True(next > now);
            // Due dates never skip nor repeat: the instant before the next run still says the old date.
            Assert.Equal(date, schedule.DueDate("zoo", zone, next.AddTicks(-1)));
            Assert.Equal(date.AddDays(1), schedule.DueDate("zoo", zone, next));
            Assert.Equal(next, schedule.DueAt("zoo", zone, date.AddDays(1)));
            (now, date) = (next, date.AddDays(1));
        }
    }

    [Fact]
    public void A_member_is_filed_under_the_earliest_date_of_the_version_in_force_and_every_later_one()
    {
        var first = Ladder();
        // From July 2026 points live 6 months instead of 12.
        var second = first with { Version = 2, EffectiveFrom = new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.FromHours(2)), PointLifetimeMonths = 6 };
        var catalog = ProgramCatalog.Create(first, second).Value;
        var book = Enrol(catalog.Versions[0]).Apply(Purchase("r1", At(2026, 3, 10), Line(1_000m)), catalog).Book;

        Assert.Equal(new DateOnly(2027, 1, 1), MemberReview.NextReviewOn(book.State, catalog.Versions[0])); // window end before March 2027 expiry
        Assert.Equal(new DateOnly(2026, 10, 1), MemberReview.NextReviewOn(book.State, catalog.Versions[1]));
        // Filed in March, v2 is published but not yet in force: the earlier date counts.
        Assert.Equal(new DateOnly(2026, 10, 1), MemberReview.NextReviewOn(book.State, catalog, At(2026, 3, 10)));
        // Nothing to review: not filed at all.
        Assert.Null(MemberReview.NextReviewOn(Enrol(catalog.Versions[0]).State, catalog, At(2026, 3, 10)));
    }

    [Fact]
    public async Task The_runner_keeps_to_its_parallelism_and_a_second_run_of_a_complete_plan_does_nothing()
    {
        var store = new MemoryProgress();
        var runner = new JobRunner(store, new FakeTimeProvider(Start));
        var plan = new JobPlan(new JobKey("zoo", "test", "20270101"), [.. Enumerable.Range(0, 16)]);
        var (running, peak) = (0, 0);
        var reports = new ConcurrentQueue<JobStatus>();

        var report = await runner.RunAsync(plan, async (shard, token) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            await Task.Delay(20, token);
            Interlocked.Decrement(ref running);
            return await store.FinishAsync(plan.Key, shard, JobCounts.Zero.Add("work", shard + 1));
        }, new JobRunOptions { Parallelism = 3 }, new SyncProgress(reports.Enqueue));

        Assert.InRange(peak, 2, 3);
        Assert.Equal((16, 0, 136L), (report.ShardsRun, report.ShardsSkipped, report.Counts["work"]));
        Assert.Equal(report.Counts, report.ThisRun);
        Assert.Equal(17, reports.Count);
        Assert.Equal((16, 16), (reports.Last().ShardsDone, reports.Last().Shards));
        Assert.Equal(136L, (await store.GetTotalsAsync(plan.Key, default))!.Counts["work"]);

        var again = await runner.RunAsync(plan, (_, _) => throw new InvalidOperationException("A complete plan runs no shard."));
        Assert.True(again.AlreadyComplete);
        Assert.True(again.ThisRun.IsZero);
        Assert.Equal(report.Counts, again.Counts);
    }

    [Fact]
    public async Task A_failed_run_resumes_with_the_shards_that_had_not_finished()
    {
        var store = new MemoryProgress();
        var runner = new JobRunner(store, new FakeTimeProvider(Start));
        var plan = new JobPlan(new JobKey("zoo", "test", "20270101"), [.. Enumerable.Range(0, 8)]);
        var first = new ConcurrentBag<int>();

        await Assert.ThrowsAsync<InvalidOperationException>(() => runner.RunAsync(plan, async (shard, _) =>
        {
            if (shard == 5) throw new InvalidOperationException("storage went away");
            first.Add(shard);
            return await store.FinishAsync(plan.Key, shard, JobCounts.Zero.Add("work", 1));
        }, new JobRunOptions { Parallelism = 1 }));
        Assert.Null(await store.GetTotalsAsync(plan.Key, default));

        var second = new ConcurrentBag<int>();
        var report = await runner.RunAsync(plan, async (shard, _) =>
        {
            second.Add(shard);
            return await store.FinishAsync(plan.Key, shard, JobCounts.Zero.Add("work", 1));
        });
        Assert.Empty(first.Intersect(second));
        Assert.Equal(Enumerable.Range(0, 8), first.Concat(second).Order());
        Assert.Equal((8L, (long)second.Count, first.Count), (report.Counts["work"], report.ThisRun["work"], report.ShardsSkipped));
    }

    [Fact]
    public void Counts_add_up_by_name_and_compare_by_value()
    {
        var a = JobCounts.Zero.Add("reviewed", 2).Add("downgraded", 1);
        var b = new JobCounts(new Dictionary<string, long> { ["reviewed"] = 3, ["skipped"] = 0 });
        Assert.Equal(new JobCounts(new Dictionary<string, long> { ["downgraded"] = 1, ["reviewed"] = 5 }), a + b);
        Assert.Equal(JobCounts.Zero, b.Add("reviewed", -3));
        Assert.True(b.Add("reviewed", -3).IsZero);
        var json = System.Text.Json.JsonSerializer.Serialize(a);
        Assert.Equal(a, System.Text.Json.JsonSerializer.Deserialize<JobCounts>(json));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private sealed class SyncProgress(Action<JobStatus> report) : IProgress<JobStatus>
    {
        public void Report(JobStatus value) => report(value);
    }

    private sealed class MemoryProgress : IJobProgressStore
    {
        private readonly ConcurrentDictionary<(JobKey, int), ShardProgress> shards = new();
        private readonly ConcurrentDictionary<JobKey, JobTotals> totals = new();

        public async Task<ShardResult> FinishAsync(JobKey job, int shard, JobCounts counts)
        {
            await SaveShardAsync(job, new ShardProgress(shard, true, counts, Start), default);
            return new ShardResult(shard, counts, counts);
        }

        public Task<IReadOnlyList<ShardProgress>> ListShardsAsync(JobKey job, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ShardProgress>>([.. shards.Where(s => s.Key.Item1 == job).Select(s => s.Value)]);

        public Task<ShardProgress?> GetShardAsync(JobKey job, int shard, CancellationToken cancellationToken) =>
            Task.FromResult(shards.GetValueOrDefault((job, shard)));

        public Task SaveShardAsync(JobKey job, ShardProgress progress, CancellationToken cancellationToken)
        {
            shards[(job, progress.Shard)] = progress;
            return Task.CompletedTask;
        }

        public Task<JobCounts> WrittenAsync(JobKey job, int shard, CancellationToken cancellationToken) => Task.FromResult(JobCounts.Zero);

        public Task<JobTotals?> GetTotalsAsync(JobKey job, CancellationToken cancellationToken) => Task.FromResult(totals.GetValueOrDefault(job));

        public Task<IReadOnlyList<(JobKey Key, JobTotals? Totals)>> ListRunsAsync(string programId, string job, string runPrefix,
            CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<(JobKey, JobTotals?)>>([.. shards.Keys.Select(k => k.Item1).Concat(totals.Keys).Distinct()
                .Where(k => k.ProgramId == programId && k.Job == job && k.Run.StartsWith(runPrefix, StringComparison.Ordinal))
                .Select(k => (k, totals.TryGetValue(k, out var t) ? t : null))]);

        public Task<JobAttempts?> GetAttemptsAsync(JobKey job, CancellationToken cancellationToken) => Task.FromResult<JobAttempts?>(null);

        public Task SaveAttemptsAsync(JobKey job, JobAttempts attempts, CancellationToken cancellationToken) =>
            throw new NotSupportedException("No Durable host here.");

        public Task CompleteAsync(JobKey job, JobTotals done, CancellationToken cancellationToken)
        {
            totals[job] = done;
            return Task.CompletedTask;
        }
    }
}
