using System.Diagnostics;
using Loyalty.Core.Application.Ports;

namespace Loyalty.Core.Application.Jobs;

/// <summary>
/// Runs a plan's shards in this process with bounded parallelism: what a Durable orchestration does in Azure (fan out
/// one activity per shard, fan in the counts), for the local host, the CLI and the tests. Resumable: shards recorded as
/// finished in <see cref="IJobProgressStore"/> are skipped (their recorded counts still add up into the totals), and a
/// shard interrupted half-way is run again, which its activity must make safe (the nightly review is idempotent per
/// member). Once every shard has finished, the run's totals are recorded and a later run of the same plan does nothing.
/// </summary>
public sealed class JobRunner(IJobProgressStore progress, TimeProvider time)
{
    /// <param name="runShard">The shard activity; it records its own progress (so a Durable replay of it is safe too).</param>
    /// <param name="report">Told at the start and after every shard.</param>
    public async Task<JobReport> RunAsync(
        JobPlan plan,
        Func<int, CancellationToken, Task<ShardResult>> runShard,
        JobRunOptions? options = null,
        IProgress<JobStatus>? report = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(runShard);
        var parallelism = (options ?? new JobRunOptions()).Parallelism;
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1, nameof(options));
        var clock = Stopwatch.StartNew();

        if (await progress.GetTotalsAsync(plan.Key, cancellationToken) is { } complete)
        {
            report?.Report(new JobStatus(plan.Key, plan.Shards.Count, plan.Shards.Count, complete.Counts, null));
            return new JobReport(plan.Key, complete.Counts, JobCounts.Zero, 0, plan.Shards.Count, clock.Elapsed);
        }

        var wanted = plan.Shards.ToHashSet();
        var finished = (await progress.ListShardsAsync(plan.Key, cancellationToken))
            .Where(p => p.Finished && wanted.Contains(p.Shard))
            .ToDictionary(p => p.Shard);
        var todo = plan.Shards.Where(s => !finished.ContainsKey(s)).ToList();

        var gate = new object();
        var counts = JobCounts.Sum(finished.Values.Select(p => p.Counts));
        var thisRun = JobCounts.Zero;
        var done = finished.Count;
        report?.Report(new JobStatus(plan.Key, done, plan.Shards.Count, counts, null));

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(todo, parallel, async (shard, token) =>
        {
            var result = await runShard(shard, token);
            JobStatus status;
            lock (gate)
            {
                counts += result.Counts;
                thisRun += result.ThisRun;
                status = new JobStatus(plan.Key, ++done, plan.Shards.Count, counts, shard);
            }
            report?.Report(status);
        });

        await progress.CompleteAsync(plan.Key, new JobTotals(counts, plan.Shards.Count, time.GetUtcNow()), cancellationToken);
        return new JobReport(plan.Key, counts, thisRun, todo.Count, finished.Count, clock.Elapsed);
    }
}
