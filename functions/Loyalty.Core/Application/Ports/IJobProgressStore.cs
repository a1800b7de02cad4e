using Loyalty.Core.Application.Jobs;

namespace Loyalty.Core.Application.Ports;

/// <summary>
/// Where sharded jobs record how far they got: one row per shard (its counts so far, finished or not) and one for the
/// whole run once every shard has finished. A restarted runner (or a replayed Durable activity) reads it to skip done work.
/// </summary>
public interface IJobProgressStore
{
    /// <summary>Every shard recorded for the run so far.</summary>
    Task<IReadOnlyList<ShardProgress>> ListShardsAsync(JobKey job, CancellationToken cancellationToken);

    Task<ShardProgress?> GetShardAsync(JobKey job, int shard, CancellationToken cancellationToken);

    /// <summary>
    /// The counts committed with the members of one shard for the run (<see cref="MemberWrite.Tally"/>), summed over
    /// every attempt and runner: exact however often the shard was run, stopped or run twice at once.
    /// </summary>
    Task<JobCounts> WrittenAsync(JobKey job, int shard, CancellationToken cancellationToken);

    /// <summary>Records a shard's counts so far (or final, when finished), replacing what was recorded before.</summary>
    Task SaveShardAsync(JobKey job, ShardProgress progress, CancellationToken cancellationToken);

    /// <summary>The run's totals, once <see cref="CompleteAsync"/> recorded them; null while it is not complete.</summary>
    Task<JobTotals?> GetTotalsAsync(JobKey job, CancellationToken cancellationToken);

    /// <summary>The runs of a job whose run id starts with <paramref name="runPrefix"/> (a campaign's runs), each with its totals once complete.</summary>
    Task<IReadOnlyList<(JobKey Key, JobTotals? Totals)>> ListRunsAsync(string programId, string job, string runPrefix, CancellationToken cancellationToken);

    /// <summary>The attempts a Durable host started at the run (<see cref="JobRestarts"/>); null when it recorded none.</summary>
    Task<JobAttempts?> GetAttemptsAsync(JobKey job, CancellationToken cancellationToken);

    /// <summary>Records the run's attempts, replacing what was recorded before.</summary>
    Task SaveAttemptsAsync(JobKey job, JobAttempts attempts, CancellationToken cancellationToken);

    /// <summary>Marks the run complete with its totals (idempotent: a second call replaces them with the same).</summary>
    Task CompleteAsync(JobKey job, JobTotals totals, CancellationToken cancellationToken);
}
