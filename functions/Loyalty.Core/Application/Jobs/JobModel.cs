using Loyalty.Core.Application.Ports;

namespace Loyalty.Core.Application.Jobs;

/// <summary>One run of a sharded job: the program, the job ("nightly-review") and the run within it (a date "20270101", a campaign id).</summary>
public sealed record JobKey(string ProgramId, string Job, string Run)
{
    public override string ToString() => $"{ProgramId}/{Job}/{Run}";
}

/// <summary>
/// What a run consists of: its shards, each processed by one idempotent activity. Inputs and outputs are small ids and
/// counts, never member data, so a Durable orchestration's history stays small.
/// </summary>
public sealed record JobPlan(JobKey Key, IReadOnlyList<int> Shards);

/// <summary>What one shard activity reports: its counts in total (including an earlier, interrupted attempt) and in this attempt.</summary>
/// <param name="Skipped">The shard had finished before; nothing was done.</param>
/// <param name="Unfinished">The call used up its <see cref="ShardSlice"/> and recorded where it stopped: call it again
/// to go on. Its counts are then the shard's so far, not its final ones.</param>
public sealed record ShardResult(int Shard, JobCounts Counts, JobCounts ThisRun, bool Skipped = false, bool Unfinished = false);

/// <summary>
/// How much of a shard one call of its activity may do before it records its progress and returns
/// <see cref="ShardResult.Unfinished"/>: a Durable activity must end within the host's function timeout, however large the
/// shard. A call always does at least one chunk, so a shard called again and again finishes.
/// </summary>
/// <param name="MaxDuration">No further chunk is started once this much time has passed in the call.</param>
/// <param name="MaxChunks">No further chunk is started after this many.</param>
public sealed record ShardSlice(TimeSpan MaxDuration, int MaxChunks = int.MaxValue);

/// <summary>The attempts at a run that a Durable host started (its restarts after a failure), for deciding on the next one.</summary>
/// <param name="Count">Attempts started since the first start or an operator's "run now".</param>
/// <param name="LastStartedAt">When the latest attempt was started.</param>
/// <param name="GaveUp">The run failed <see cref="JobRestartPolicy.MaxAttempts"/> times: timers no longer restart it.</param>
/// <param name="LastFailure">What the latest failed attempt failed with (exception type and message), once a timer saw it.</param>
public sealed record JobAttempts(int Count, DateTimeOffset LastStartedAt, bool GaveUp = false, string? LastFailure = null);

/// <summary>A shard's recorded progress: its counts so far, and whether it has finished.</summary>
/// <param name="Counts">Everything counted so far: exact once finished (the written counters are then read back from
/// what the members' transactions recorded); while running, as far as the last runner to record knew.</param>
/// <param name="Seen">The counters of what runners saw rather than wrote (scanned, skipped, conflicts, found applied…),
/// which a resumed attempt carries on from; they count each attempt's look, so a chunk looked at twice counts twice.</param>
/// <param name="Cursor">Where a job that walks the shard in key order got to (the last member id done), so a restart
/// goes on from there; null for jobs whose own index tells what is left (the nightly review).</param>
public sealed record ShardProgress(int Shard, bool Finished, JobCounts Counts, DateTimeOffset UpdatedAt, string? Cursor = null, JobCounts? Seen = null);

/// <summary>
/// A shard attempt's counts in two parts: what was committed with the members (<see cref="MemberWrite.Tally"/>, read
/// back exactly at the end) and what the attempt saw without writing it.
/// </summary>
public sealed record ShardCounts(JobCounts Written, JobCounts Seen)
{
    public static readonly ShardCounts Zero = new(JobCounts.Zero, JobCounts.Zero);

    public JobCounts Total => Written + Seen;

    public static ShardCounts operator +(ShardCounts left, ShardCounts right) => new(left.Written + right.Written, left.Seen + right.Seen);
}

/// <summary>A complete run: the sum over its shards.</summary>
public sealed record JobTotals(JobCounts Counts, int Shards, DateTimeOffset CompletedAt);

/// <summary>A run's progress for a host to show (<see cref="IProgress{T}"/>): shards done of all, and the counts so far.</summary>
/// <param name="Shard">The shard that just finished; null for the report at the start.</param>
public sealed record JobStatus(JobKey Key, int ShardsDone, int Shards, JobCounts Counts, int? Shard);

/// <summary>The outcome of running a plan.</summary>
/// <param name="Counts">The whole run's totals, including shards finished by an earlier attempt.</param>
/// <param name="ThisRun">What this attempt did: zero when everything had been done before.</param>
/// <param name="ShardsRun">Shards this attempt worked on.</param>
/// <param name="ShardsSkipped">Shards finished by an earlier attempt.</param>
public sealed record JobReport(JobKey Key, JobCounts Counts, JobCounts ThisRun, int ShardsRun, int ShardsSkipped, TimeSpan Elapsed)
{
    public bool AlreadyComplete => ShardsRun == 0;
}

public sealed record JobRunOptions
{
    /// <summary>Shards worked on at once. Azurite serves one request at a time and saturates at about 8 concurrent calls.</summary>
    public int Parallelism { get; init; } = 4;
}
