using Loyalty.Core.Application.Ports;

namespace Loyalty.Core.Application.Jobs;

/// <summary>A run's progress for an operator: per shard and in total.</summary>
/// <param name="Run">The run within the job: a date "20270101", a campaign's "{campaignId}/{runId}".</param>
/// <param name="Complete">Every shard has finished and the totals are recorded; <paramref name="Counts"/> are then the totals.</param>
/// <param name="ShardsDone">Shards finished of <paramref name="Shards"/>; shards not listed have not started.</param>
/// <param name="Attempts">The attempts a Durable host started at the run (null where none were counted, as in the local
/// host); <see cref="JobAttempts.GaveUp"/> means the run failed for good and waits for an operator.</param>
public sealed record JobProgressView(
    string Job, string Run, bool Complete, int ShardsDone, int Shards, JobCounts Counts, IReadOnlyList<ShardView> ShardList, JobAttempts? Attempts = null)
{
    /// <summary>
    /// Reads a run's rows. A shard still running (or stopped) shows what its members' transactions recorded, not its
    /// possibly older row, so its written counters are exact at any time.
    /// </summary>
    internal static async Task<JobProgressView> ReadAsync(IJobProgressStore progress, JobKey key, int shards, CancellationToken cancellationToken)
    {
        var totals = await progress.GetTotalsAsync(key, cancellationToken);
        var views = new List<ShardView>();
        foreach (var row in (await progress.ListShardsAsync(key, cancellationToken)).OrderBy(r => r.Shard))
        {
            var counts = row.Finished ? row.Counts : await progress.WrittenAsync(key, row.Shard, cancellationToken) + (row.Seen ?? JobCounts.Zero);
            views.Add(new ShardView(row.Shard, row.Finished, row.UpdatedAt, counts));
        }
        var attempts = await progress.GetAttemptsAsync(key, cancellationToken);
        return new JobProgressView(
            key.Job, key.Run, totals is not null, views.Count(v => v.Finished), totals?.Shards ?? shards,
            totals?.Counts ?? JobCounts.Sum(views.Select(v => v.Counts)), views, attempts);
    }
}

/// <summary>One shard's progress: finished or not, when it last recorded a chunk, its counts so far.</summary>
public sealed record ShardView(int Shard, bool Finished, DateTimeOffset UpdatedAt, JobCounts Counts);

/// <summary>The answer to an operator's request to run a job now.</summary>
/// <param name="AlreadyDone">The run was complete before: nothing was started or changed.</param>
public sealed record JobStart(bool AlreadyDone, string Message, JobProgressView Progress);
