using Loyalty.Core.Application.Ports;
using Microsoft.Extensions.DependencyInjection;
using Loyalty.Bench.Infra;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Events;
using Loyalty.Storage.Repositories;

namespace Loyalty.Bench.Scenarios;

/// <summary>
/// The nightly tier review on the night a calendar year ends, when every member is due at once: members bulk-loaded
/// (<see cref="MemberLoader"/>, <see cref="CalendarYearMembers"/>), then <see cref="NightlyReview.RunAsync"/> timed as the
/// local host runs it. Bound (raw scan + batched write time for the same number of entities): in a table of its
/// own holding as many rows as the Members table, every profile-sized row read once by shard in pages of 1,000 and
/// written back once in 100-row transactions under If-Match, at the job's parallelism. Checked: the job's totals against
/// the plans the members were generated from, nobody left due, a sample of members against their plans, one
/// notification per downgrade, and a second run doing nothing.
/// </summary>
public static class NightlyScenario
{
    public const string Name = "nightly";
    internal const string ProgramId = "bench-nightly";
    private const int Shards = BatchJobBench.Shards;
    private const int CheckedMembers = 2_000;

    public static async Task RunAsync(BenchContext context, int? members, int parallelism, CancellationToken cancellationToken)
    {
        var count = BatchJobBench.MembersToLoad(context, members, parallelism);
        Ui.Heading($"nightly: the tier review of {count:N0} members, all due the night a calendar year ends");
        var report = context.Report;
        var reviewDate = CalendarYearMembers.ReviewDate;
        var counter = new RequestCounter();
        var loaded = await BatchJobBench.LoadAsync(context, Name, ProgramId, count, counter, null, cancellationToken);
        var (storage, services) = (loaded.Storage, loaded.Services);

        // The job, as the local host's JobWorker runs it; its storage requests counted.
        counter.Reset();
        var options = new JobRunOptions { Parallelism = parallelism };
        var sample = context.Cpu.Start();
        var run = await Ui.ProgressAsync($"NightlyReview.RunAsync {reviewDate:yyyy-MM-dd}: {Shards} shards, {parallelism} at once", count, progress =>
            services.GetRequiredService<NightlyReview>().RunAsync(ProgramId, reviewDate, options, new BatchJobBench.Counter(progress,
                NightlyReview.Counts.Reviewed), cancellationToken), "members");
        var cpu = sample.Stop();
        var written = counter.TransactionOperations;
        report.Rates(Name, "nightly review, per member", counter.Snapshot(), count, written);
        report.Detail(Name, "storage requests per member reviewed (counted)", BatchJobBench.RequestsPer(counter, count, "member") +
            "; the bound writes 1 entity per member: the review moves the member's index entry (a delete and an insert), adds a ledger row and, with a " +
                "notification, an outbox row it deletes once sent");

        var again = await services.GetRequiredService<NightlyReview>().RunAsync(ProgramId, reviewDate, options, null, cancellationToken);
        await VerifyAsync(context, Name, services, ct => BatchJobBench.DrainNotificationsAsync(storage, ct), loaded.Generator, loaded.Program, count,
            run, again, cancellationToken);

        // The bound's profile rows are as large as the product's, measured on its rows.
        var profileChars = await BatchJobBench.ProfileCharsAsync(storage, cancellationToken);
        await context.CleanUpAsync(storage, cancellationToken);
        var bound = await BatchJobBench.BoundAsync(context, Name, count, count, profileChars, parallelism, cancellationToken);
        BatchJobBench.Result(context, Name, $"nightly review of {count:N0} members (NightlyReview.RunAsync)", parallelism, loaded,
            run.Counts[NightlyReview.Counts.Reviewed], run.Elapsed, cpu, bound, null, run.Counts, written);
    }

    /// <summary>The checks, on any storage: its ports in <paramref name="services"/>, and <paramref name="drain"/> taking every message off its notifications
    /// queue.</summary>
    internal static async Task VerifyAsync(
        BenchContext context, string scenario, IServiceProvider services,
        Func<CancellationToken, Task<(int Messages, IReadOnlyList<Notification> Notifications)>> drain,
        CalendarYearMembers generator, LoadedProgram program, int count, JobReport run, JobReport again, CancellationToken cancellationToken)
    {
        var report = context.Report;
        var expected = generator.Expected(count);
        report.Check(scenario, "the job's totals equal those of the plans the members were generated from", run.Counts.Equals(expected),
            $"job: {run.Counts}; plans: {expected}");

        long due = 0;
        for (var shard = 0; shard < Shards; shard++)
            due += (await services.GetRequiredService<IReviewStore>().ListDueAsync(ProgramId, shard, CalendarYearMembers.ReviewDate, cancellationToken)).Count;
        report.Check(scenario, $"nobody is due on {CalendarYearMembers.ReviewDate:yyyy-MM-dd} any more (every member re-filed in its review's write)", due == 0,
            $"{due:N0} still due");

        // An even sample: every member when there are few, and members from every part of the load when there are many.
        var step = Math.Max(1, count / CheckedMembers);
        var wrong = new List<string>();
        var sampled = Enumerable.Range(0, count / step).Select(k => generator.PlanOf(k * step)).ToList();
        foreach (var chunk in sampled.Chunk(100))
        {
            var stored = (await services.GetRequiredService<IMemberStore>().GetManyAsync([.. chunk.Select(p => program.Member(p.MemberId))], cancellationToken))
                .ToDictionary(m => m.Profile.MemberId, StringComparer.Ordinal);
            foreach (var plan in chunk)
            {
                var problems = stored.TryGetValue(plan.MemberId, out var member) ? CalendarYearMembers.Wrong(plan, member.State, member.ReviewOn)
                    .ToList() : ["missing"];
                if (problems.Count > 0) wrong.Add($"member {plan.Number} ({plan.MemberId}): {string.Join(", ", problems)}");
            }
        }
        report.Check(scenario, "sampled members' tier, points, window and next review date after the review are what their plans say", wrong.Count == 0,
            $"{sampled.Count:N0} members checked, {wrong.Count} wrong{(wrong.Count == 0 ? "" : $" (e.g. {string.Join("; ", wrong.Take(3))})")}");

        var (messages, notifications) = await drain(cancellationToken);
        var notified = notifications.DistinctBy(n => n.Id).Count(n => n.Events.OfType<TierDowngraded>().Any());
        var downgraded = expected[NightlyReview.Counts.Downgraded];
        report.Check(scenario, "one notification queued per downgrade", notified == downgraded,
            $"{notified:N0} members told of a downgrade in {notifications.Count:N0} notifications, {messages:N0} messages; {downgraded:N0} downgrades");

        report.Check(scenario, "a second run of the same night does nothing", again.AlreadyComplete && again.ThisRun.IsZero && again.Counts.Equals(run.Counts),
            $"already complete: {again.AlreadyComplete}, this run: {again.ThisRun}, in {again.Elapsed.TotalMilliseconds:N0} ms");
    }
}
