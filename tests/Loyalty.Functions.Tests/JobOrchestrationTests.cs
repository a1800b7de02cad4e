using Loyalty.Core.Application;
using Loyalty.Core.Application.Campaigns;
using Loyalty.Core.Application.Demo;
using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Campaigns;
using Loyalty.Core.Members;
using Loyalty.Core.Programs;
using Loyalty.Core.Receipts;
using Loyalty.Core.Segments;
using Loyalty.Core.Serialization;
using Loyalty.Core.Validation;
using Loyalty.Functions.Jobs;
using Loyalty.Hosting;
using Loyalty.Testing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using Delivery = Loyalty.Core.Application.Campaigns.CampaignFanOut.Counts;
using Review = Loyalty.Core.Application.Jobs.NightlyReview.Counts;

namespace Loyalty.Functions.Tests;

/// <summary>
/// The nightly review and the campaign fan-out as the Functions app runs them: its timer methods, orchestrations and
/// activities (<see cref="DurableJobs"/>), over the app's container on Azurite, each test with its own storage prefix
/// and its own clock.
/// </summary>
public sealed class JobOrchestrationTests : IAsyncLifetime
{
    /// <summary>The night of the demo program's calendar-year window end, and 02:00 that night in Stockholm.</summary>
    private static readonly DateOnly Night = new(2027, 1, 1);
    private static readonly DateTimeOffset NightAt = new(2027, 1, 1, 2, 0, 0, TimeSpan.FromHours(1));
    private static readonly DateTimeOffset SeededAt = new(2026, 12, 31, 12, 0, 0, TimeSpan.FromHours(1));
    private const long Bonus = 150;
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    private readonly FakeTimeProvider clock = new(SeededAt);
    private readonly IHost app;

    public JobOrchestrationTests() =>
        app = FunctionsHost.Build(new Dictionary<string,
            string?> { ["Storage:ConnectionString"] = Azurite.ConnectionString, ["Storage:Prefix"] = UniqueName.Table("jo") }, time: clock);

    private IServiceProvider Backend => app.Services;

    public Task InitializeAsync() => Backend.Storage.EnsureCreatedAsync(CancellationToken.None);

    public Task DisposeAsync()
    {
        app.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_nightly_review_of_128_shards_runs_in_two_waves_and_reviews_every_member_due_exactly_once()
    {
        var seeded = await SeedNightAsync("waves", shards: 128, members: 150);
        await using var jobs = await DurableJobs.StartAsync(app.Services);
        var id = NightlyReview.Key("waves", Night).InstanceId();

        // A second tick while the run is going finds it and starts nothing.
        await jobs.Functions.NightlyReviewTimer(new TimerInfo(), jobs.Client, CancellationToken.None);
        Assert.NotNull(await jobs.Client.GetInstanceAsync(id, getInputsAndOutputs: false));
        await jobs.Functions.NightlyReviewTimer(new TimerInfo(), jobs.Client, CancellationToken.None);
        var done = await jobs.FinishedAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);

        Assert.Equal(["-wave000", "-wave001"], await WavesAsync(jobs.Client, id));
        var due = seeded.Where(m => m.Filed <= Night).ToList();
        Assert.True(due.Count >= 100, $"only {due.Count} members are due");
        var totals = done.ReadOutputAs<JobTotals>()!;
        Assert.Equal(128, totals.Shards);
        Assert.Equal(due.Count, totals.Counts[Review.Reviewed]);
        Assert.Equal(due.Count(m => m.Expected.Tier != m.Before.Tier), totals.Counts[Review.Downgraded] + totals.Counts[Review.Upgraded]);
        await AssertReviewedAsync(seeded);

        var progress = Ok(await Backend.Nightly.ProgressAsync(await Backend.ProgramAsync("waves"), "2027-01-01", CancellationToken.None));
        Assert.True(progress.Complete);
        Assert.Equal((128, 128), (progress.ShardsDone, progress.Shards));
        Assert.Equal(totals.Counts, progress.Counts);
        Assert.Equal(1, progress.Attempts!.Count);

        // Once complete, a tick starts nothing either.
        await jobs.Functions.NightlyReviewTimer(new TimerInfo(), jobs.Client, CancellationToken.None);
        Assert.Equal(done.CreatedAt, (await jobs.Client.GetInstanceAsync(id, getInputsAndOutputs: false))!.CreatedAt);
        Assert.Equal(1, Ok(await Backend.Nightly.ProgressAsync(await Backend.ProgramAsync("waves"), "2027-01-01", CancellationToken.None)).Attempts!.Count);
    }

    [Fact]
    public async Task A_campaign_run_delivers_to_every_matching_reachable_member_exactly_once_in_slices()
    {
        var population = await EnrolPopulationAsync("fan", shards: 2, count: 240);
        var run = await ScheduleCampaignAsync("fan", "runners");
        var counting = new HookedProgress(Backend.GetRequiredService<IJobProgressStore>(), (_, _) => Task.CompletedTask);
        var fanOut = TestServices.Create(Backend, clock, s => s.AddSingleton<IJobProgressStore>(counting)).CampaignScheduler.FanOut;
        // One chunk of 100 members per activity call: a shard of more calls its activity again.
        await using var jobs = await DurableJobs.StartAsync(app.Services,
            DurableJobs.Quick with { Slice = new ShardSlice(TimeSpan.FromHours(1), MaxChunks: 1) }, fanOut);

        await jobs.Functions.CampaignTimer(new TimerInfo(), jobs.Client, CancellationToken.None);
        var done = await jobs.FinishedAsync(CampaignFanOut.Key(run).InstanceId());
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);

        var expected = population.Where(p => p.Reachable).Select(p => p.MemberId).Order(StringComparer.Ordinal).ToList();
        var totals = done.ReadOutputAs<JobTotals>()!;
        Assert.Equal(expected.Count, totals.Counts[Delivery.Delivered]);
        Assert.Equal(population.Count, totals.Counts[Delivery.Matched]);
        Assert.Equal(population.Count, totals.Counts[Delivery.Scanned]);
        await AssertDeliveredExactlyAsync(run, population, expected);
        // 240 members in 2 shards: at least 140 matched in one, so it took at least two calls, each starting with its row.
        Assert.True(counting.Calls.Values.Max() >= 2, $"calls per shard: {string.Join(", ", counting.Calls)}");

        var campaign = Ok(await Backend.Campaigns.GetAsync(await Backend.ProgramAsync("fan"), "runners", CancellationToken.None));
        Assert.Equal(CampaignStatus.Completed, campaign.Campaign.Status);
        await jobs.Functions.CampaignTimer(new TimerInfo(), jobs.Client, CancellationToken.None);
        Assert.Equal(done.CreatedAt, (await jobs.Client.GetInstanceAsync(CampaignFanOut.Key(run).InstanceId(), getInputsAndOutputs: false))!.CreatedAt);
    }

    [Fact]
    public async Task A_shard_activity_that_fails_once_is_retried_and_the_totals_stay_exact()
    {
        var seeded = await SeedNightAsync("flaky", shards: 4, members: 60);
        var failed = 0;
        var flaky = new HookedProgress(Backend.GetRequiredService<IJobProgressStore>(), (_, shard) =>
            shard == 2 && Interlocked.Increment(ref failed) == 1 ? throw new IOException("The storage account is busy.") : Task.CompletedTask);
        var nightly = TestServices.Create(Backend, clock, s => s.AddSingleton<IJobProgressStore>(flaky)).Nightly;
        await using var jobs = await DurableJobs.StartAsync(app.Services, DurableJobs.Quick, nightly);

        await jobs.Functions.NightlyReviewTimer(new TimerInfo(), jobs.Client, CancellationToken.None);
        var done = await jobs.FinishedAsync(NightlyReview.Key("flaky", Night).InstanceId());

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(2, flaky.Calls[2]);
        Assert.Equal(seeded.Count(m => m.Filed <= Night), done.ReadOutputAs<JobTotals>()!.Counts[Review.Reviewed]);
        await AssertReviewedAsync(seeded);
    }

    [Fact]
    public async Task A_terminated_campaign_run_is_started_again_under_its_id_and_delivers_nothing_twice()
    {
        var population = await EnrolPopulationAsync("stop", shards: 2, count: 40);
        var run = await ScheduleCampaignAsync("stop", "runners");
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = 0;
        // Shard 1's first call waits, so the run is still going when it is terminated.
        var gate = new HookedProgress(Backend.GetRequiredService<IJobProgressStore>(), async (_, shard) =>
        {
            if (shard != 1 || Interlocked.Increment(ref held) != 1) return;
            reached.SetResult();
            await release.Task;
        });
        var fanOut = TestServices.Create(Backend, clock, s => s.AddSingleton<IJobProgressStore>(gate)).CampaignScheduler.FanOut;
        await using var jobs = await DurableJobs.StartAsync(app.Services, DurableJobs.Quick, fanOut);
        var id = CampaignFanOut.Key(run).InstanceId();

        try
        {
            await jobs.Functions.CampaignTimer(new TimerInfo(), jobs.Client, CancellationToken.None);
            await reached.Task.WaitAsync(TimeSpan.FromMinutes(2));
            // As an operator terminates it in the portal or through the HTTP API: the run only, its wave goes on.
            await jobs.Client.TerminateInstanceAsync(id, "stuck, says the operator");
            Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await jobs.FinishedAsync(id)).RuntimeStatus);
            Assert.Equal(OrchestrationRuntimeStatus.Running, (await jobs.Client.GetInstanceAsync(id + "-wave000", getInputsAndOutputs: false))!.RuntimeStatus);

            // The next tick stops the wave left running and starts the run again under the same id.
            await jobs.Functions.CampaignTimer(new TimerInfo(), jobs.Client, CancellationToken.None);
            Assert.Equal(OrchestrationRuntimeStatus.Running, (await jobs.Client.GetInstanceAsync(id, getInputsAndOutputs: false))!.RuntimeStatus);
            // The first instance's call, still held, goes on beside the new one: what a host would do with an activity in flight.
            release.TrySetResult();
            var done = await jobs.FinishedAsync(id);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);

            var expected = population.Where(p => p.Reachable).Select(p => p.MemberId).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(expected.Count, done.ReadOutputAs<JobTotals>()!.Counts[Delivery.Delivered]);
            await AssertDeliveredExactlyAsync(run, population, expected);
            Assert.Equal(2, Ok(await Backend.CampaignScheduler.FanOut.ProgressAsync(
                await Backend.ProgramAsync("stop"), "runners", run.RunId, CancellationToken.None)).Attempts!.Count);
        }
        finally
        {
            release.TrySetResult();
        }
    }

    [Fact]
    public async Task A_run_failing_for_good_is_restarted_after_growing_delays_then_given_up_visibly_until_an_operator_runs_it()
    {
        await SeedNightAsync("broken", shards: 1, members: 5);
        var broken = new HookedProgress(Backend.GetRequiredService<IJobProgressStore>(), (_, _) => throw new IOException("The storage account is gone."));
        var nightly = TestServices.Create(Backend, clock, s => s.AddSingleton<IJobProgressStore>(broken)).Nightly;
        await using var jobs = await DurableJobs.StartAsync(app.Services, DurableJobs.Quick, nightly);
        var id = NightlyReview.Key("broken", Night).InstanceId();
        var policy = Backend.Restarts.Policy;
        Task TickAsync() => jobs.Functions.NightlyReviewTimer(new TimerInfo(), jobs.Client, CancellationToken.None);
        async Task<JobAttempts> AttemptsAsync() =>
            Ok(await Backend.Nightly.ProgressAsync(await Backend.ProgramAsync("broken"), "2027-01-01", CancellationToken.None)).Attempts!;

        await TickAsync();
        for (var attempt = 1; ; attempt++)
        {
            Assert.Equal(OrchestrationRuntimeStatus.Failed, (await jobs.FinishedAsync(id)).RuntimeStatus);
            await TickAsync();
            var attempts = await AttemptsAsync();
            Assert.Equal(attempt, attempts.Count);
            Assert.Contains("The storage account is gone.", attempts.LastFailure, StringComparison.Ordinal);
            if (attempt == policy.MaxAttempts)
            {
                Assert.True(attempts.GaveUp);
                break;
            }
            // Too soon: the tick left it failed.
            Assert.False(attempts.GaveUp);
            Assert.Equal(OrchestrationRuntimeStatus.Failed, (await jobs.Client.GetInstanceAsync(id, getInputsAndOutputs: false))!.RuntimeStatus);
            clock.Advance(policy.DelayAfter(attempt));
            await TickAsync();
        }

        clock.Advance(TimeSpan.FromHours(3));
        await TickAsync();
        Assert.Equal((policy.MaxAttempts, true), ((await AttemptsAsync()).Count, (await AttemptsAsync()).GaveUp));
        Assert.Equal(OrchestrationRuntimeStatus.Failed, (await jobs.Client.GetInstanceAsync(id, getInputsAndOutputs: false))!.RuntimeStatus);

        // An operator's "run now" starts it at once and counts from one again.
        await new DurableJobStarter(jobs.Client, Backend.Restarts, NullLogger.Instance)
            .StartNightlyAsync(new NightlyRun("broken", Night), CancellationToken.None);
        Assert.Equal((1, false), ((await AttemptsAsync()).Count, (await AttemptsAsync()).GaveUp));
        Assert.Equal(OrchestrationRuntimeStatus.Failed, (await jobs.FinishedAsync(id)).RuntimeStatus);
    }

    [Fact]
    public async Task A_shard_call_stops_after_its_slice_and_the_next_goes_on_where_it_stopped()
    {
        var seeded = await SeedNightAsync("slices", shards: 1, members: 250);
        var due = seeded.Count(m => m.Filed <= Night);
        Assert.InRange(due, 201, 299);
        await using var jobs = await DurableJobs.StartAsync(app.Services);
        var task = new ShardTask(NightlyReview.Key("slices", Night), 0, new ShardSlice(TimeSpan.FromHours(1), MaxChunks: 1));

        var slices = new List<ShardResult>();
        do slices.Add(await jobs.Functions.ShardedJobShard(task, CancellationToken.None));
        while (slices[^1].Unfinished && slices.Count < 10);

        // Three chunks of at most 100, each its own call; the fourth finds nobody due and finishes the shard.
        Assert.Equal([true, true, true, false], slices.Select(s => s.Unfinished));
        Assert.Equal([100, 100, due - 200, 0], slices.Select(s => s.ThisRun[Review.Reviewed]));
        Assert.Equal(due, slices[^1].Counts[Review.Reviewed]);
        Assert.Equal(due, slices[^2].Counts[Review.Reviewed]);
        await AssertReviewedAsync(seeded);
    }

    private sealed record Seeded(MemberKey Key, MemberState Before, DateOnly? Filed, MemberState Expected);

    private sealed record Enrolled(string MemberId, bool Reachable, long BalanceBefore);

    /// <summary>
    /// The demo program under <paramref name="programId"/>, and members with one to three purchases in 2026, built with the
    /// pure domain and written through the store; the ones filed on or before <see cref="Night"/> are due that night, which
    /// the clock is then set to.
    /// </summary>
    private async Task<List<Seeded>> SeedNightAsync(string programId, int shards, int members)
    {
        var definition = DemoProgram.Definition(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)) with { ProgramId = programId };
        Ok(await Backend.Programs.CreateAsync(new CreateProgram { Definition = definition, Name = programId, Shards = shards }, CancellationToken.None));
        var catalog = ProgramCatalog.Create(definition).Value;
        var program = catalog.Latest;
        var random = new Random(members);
        var seeded = new List<Seeded>(members);
        var writes = new List<MemberBatchWrite>(members);
        for (var i = 0; i < members; i++)
        {
            var memberId = string.Concat(Enumerable.Range(0, 12).Select(_ => Alphabet[random.Next(Alphabet.Length)]));
            var book = MemberBook.Enrol(program, memberId, new DateOnly(2026, 2, 1)).Value.Book;
            for (var n = 0; n < random.Next(4); n++)
            {
                var at = new DateTimeOffset(2026, 3 + n * 3, 10, 12, 0, 0, TimeSpan.FromHours(1));
                var amount = random.Next(1, 90) * 100m;
                book = Ok(book.Apply(new Receipt
                {
                    Id = $"{memberId}-{n}",
                    MemberId = memberId,
                    PurchasedAt = at,
                    Currency = "SEK",
                    Total = amount,
                    Lines = [new ReceiptLine("toy", "toys", 1, amount)],
                }, catalog, at.AddMinutes(1))).Book;
            }
            var key = new MemberKey(programId, shards, memberId);
            var filed = MemberReview.NextReviewOn(book.State, catalog, SeededAt);
            var profile = new MemberProfile { MemberId = memberId, CardNumber = $"card{i:D6}", EnrolledAt = SeededAt };
            writes.Add(new MemberBatchWrite(key, new MemberWrite(profile, book.State, new MemberActivity(), SeededAt, filed), null));
            seeded.Add(new Seeded(key, book.State, filed, filed <= Night ? MemberReview.ReviewAt(book.State, program, Night).State : book.State));
        }
        Assert.All(await Backend.GetRequiredService<IMemberStore>().CommitManyAsync(writes, CancellationToken.None),
            r => Assert.Equal(CommitResult.Committed, r));
        clock.SetUtcNow(NightAt);
        return seeded;
    }

    /// <summary>Every member due is in the state the pure domain gives and filed after the night; nobody else was touched.</summary>
    private async Task AssertReviewedAsync(List<Seeded> seeded)
    {
        var stored = (await Backend.GetRequiredService<IMemberStore>().GetManyAsync([.. seeded.Select(m => m.Key)], CancellationToken.None))
            .ToDictionary(m => m.Profile.MemberId, StringComparer.Ordinal);
        var wrong = seeded
            .Where(m => LoyaltyJson.Serialize(stored[m.Key.MemberId].State) != LoyaltyJson.Serialize(m.Expected)
                || (m.Filed <= Night ? stored[m.Key.MemberId].ReviewOn <= Night : stored[m.Key.MemberId].ReviewOn != m.Filed))
            .Select(m => m.Key.MemberId)
            .ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} members differ from the domain's review, e.g. {string.Join(", ", wrong.Take(5))}");
    }

    /// <summary>A program of <paramref name="shards"/> shards whose members all run; three in four consented to e-mail.</summary>
    private async Task<List<Enrolled>> EnrolPopulationAsync(string programId, int shards, int count)
    {
        var definition = DemoProgram.Definition(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)) with { ProgramId = programId };
        Ok(await Backend.Programs.CreateAsync(new CreateProgram { Definition = definition, Name = programId, Shards = shards }, CancellationToken.None));
        var population = new List<Enrolled>(count);
        for (var i = 0; i < count; i++)
        {
            var consent = i % 4 != 0;
            var member = Ok(await Backend.Members.EnrolAsync(await Backend.ProgramAsync(programId), new EnrolMember
            {
                FirstName = $"M{i}",
                Email = $"m{i}@example.com",
                Interests = ["running"],
                Consents = new Dictionary<ConsentChannel, bool> { [ConsentChannel.Email] = consent },
            }, CancellationToken.None));
            population.Add(new Enrolled(member.Profile.MemberId, consent, member.View.Balance));
        }
        return population;
    }

    /// <summary>A once-only campaign for runners, due a minute from now; the clock is moved past it.</summary>
    private async Task<CampaignRun> ScheduleCampaignAsync(string programId, string campaignId)
    {
        var local = TimeZoneInfo.ConvertTime(clock.GetUtcNow().AddMinutes(1), TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm"));
        Ok(await Backend.Campaigns.CreateAsync(await Backend.ProgramAsync(programId), new CampaignDefinition
        {
            CampaignId = campaignId,
            Name = "Runners' bonus",
            Segment = new SegmentDefinition { Interests = ["running"] },
            Offer = new Offer { Kind = OfferKind.BonusPoints, Points = Bonus },
            Message = new CampaignMessage { Channel = ConsentChannel.Email, Text = "Hi {firstName}, {bonusPoints} points for your next run." },
            Schedule = new CampaignSchedule { Kind = ScheduleKind.Once, Date = DateOnly.FromDateTime(local.DateTime),
            Time = TimeOnly.FromDateTime(local.DateTime) },
        }, CancellationToken.None));
        Ok(await Backend.Campaigns.ScheduleAsync(await Backend.ProgramAsync(programId), campaignId, CancellationToken.None));
        clock.Advance(TimeSpan.FromMinutes(2));
        return Assert.Single(await Backend.CampaignScheduler.DueAsync(clock.GetUtcNow(), CancellationToken.None));
    }

    /// <summary>The run's delivery rows name exactly <paramref name="expected"/>, and each of them got the bonus once.</summary>
    private async Task AssertDeliveredExactlyAsync(CampaignRun run, List<Enrolled> population, List<string> expected)
    {
        var shards = Ok(await Backend.Programs.GetAsync(run.ProgramId, CancellationToken.None)).Shards;
        var delivered = new List<string>();
        for (var shard = 0; shard < shards; shard++)
            delivered.AddRange((await Backend.GetRequiredService<ICampaignDeliveries>().ListAsync(run, shard, CancellationToken.None)).Select(d => d.MemberId));
        Assert.Equal(expected, delivered.Order(StringComparer.Ordinal));
        foreach (var member in population)
        {
            var details = Ok(await Backend.Members.GetAsync(await Backend.ProgramAsync(run.ProgramId), member.MemberId, CancellationToken.None));
            Assert.Equal(member.BalanceBefore + (member.Reachable ? Bonus : 0), details.View.Balance);
        }
    }

    /// <summary>The suffixes of the wave instances the run left, in order.</summary>
    private static async Task<List<string>> WavesAsync(DurableTaskClient client, string runInstanceId)
    {
        var waves = new List<string>();
        for (var wave = 0; await client.GetInstanceAsync(JobWaves.WaveInstanceId(runInstanceId, wave), getInputsAndOutputs: false) is { } instance; wave++)
        {
            Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
            waves.Add(instance.InstanceId[runInstanceId.Length..]);
        }
        return waves;
    }

    private static T Ok<T>(Result<T> result) =>
        result.IsValid ? result.Value : throw new Xunit.Sdk.XunitException(string.Join("; ", result.Errors.Select(e => $"{e.Code}: {e.Message}")));

    /// <summary>The job progress port with a hook before every shard row is read: the first thing each shard activity call does.</summary>
    private sealed class HookedProgress(IJobProgressStore inner, Func<JobKey, int, Task> beforeShard) : IJobProgressStore
    {
        private readonly Dictionary<int, int> calls = [];

        /// <summary>Activity calls per shard so far.</summary>
        public IReadOnlyDictionary<int, int> Calls
        {
            get
            {
                lock (calls) return new Dictionary<int, int>(calls);
            }
        }

        public async Task<ShardProgress?> GetShardAsync(JobKey job, int shard, CancellationToken cancellationToken)
        {
            lock (calls) calls[shard] = calls.GetValueOrDefault(shard) + 1;
            await beforeShard(job, shard);
            return await inner.GetShardAsync(job, shard, cancellationToken);
        }

        public Task<IReadOnlyList<ShardProgress>> ListShardsAsync(JobKey job, CancellationToken cancellationToken) =>
            inner.ListShardsAsync(job, cancellationToken);

        public Task<JobCounts> WrittenAsync(JobKey job, int shard, CancellationToken cancellationToken) => inner.WrittenAsync(job, shard, cancellationToken);

        public Task SaveShardAsync(JobKey job, ShardProgress progress, CancellationToken cancellationToken) =>
            inner.SaveShardAsync(job, progress, cancellationToken);

        public Task<JobTotals?> GetTotalsAsync(JobKey job, CancellationToken cancellationToken) => inner.GetTotalsAsync(job, cancellationToken);

        public Task<IReadOnlyList<(JobKey Key, JobTotals? Totals)>> ListRunsAsync(
            string programId, string job, string runPrefix, CancellationToken cancellationToken) =>
            inner.ListRunsAsync(programId, job, runPrefix, cancellationToken);

        public Task<JobAttempts?> GetAttemptsAsync(JobKey job, CancellationToken cancellationToken) => inner.GetAttemptsAsync(job, cancellationToken);

        public Task SaveAttemptsAsync(JobKey job, JobAttempts attempts, CancellationToken cancellationToken) =>
            inner.SaveAttemptsAsync(job, attempts, cancellationToken);

        public Task CompleteAsync(JobKey job, JobTotals totals, CancellationToken cancellationToken) => inner.CompleteAsync(job, totals, cancellationToken);
    }
}
