using Loyalty.Core.Application.Ports;

namespace Loyalty.Core.Application.Jobs;

/// <summary>
/// One attempt at a shard of a batch job and its progress row, shared by the nightly review and the campaign fan-out.
/// The row is for resuming and for watching; the written counters of a finished shard come from what the members'
/// transactions recorded (<see cref="IJobProgressStore.WrittenAsync"/>), so neither a crash between a chunk's commit and
/// the row nor two runners overwriting each other's row can make them wrong.
/// </summary>
internal sealed class ShardAttempt
{
    private readonly IJobProgressStore progress;
    private readonly TimeProvider time;
    private JobCounts written;
    private JobCounts seen;

    private ShardAttempt(IJobProgressStore progress, TimeProvider time, JobKey key, int shard, ShardProgress? recorded, JobCounts writtenBefore)
    {
        this.progress = progress;
        this.time = time;
        Key = key;
        Shard = shard;
        Recorded = recorded;
        Cursor = recorded?.Cursor;
        written = writtenBefore;
        seen = recorded?.Seen ?? JobCounts.Zero;
    }

    public JobKey Key { get; }

    public int Shard { get; }

    /// <summary>The row as this attempt found it; finished means there is nothing to do.</summary>
    public ShardProgress? Recorded { get; }

    /// <summary>Where an earlier attempt got to (jobs that walk the shard in key order), then where this one got to.</summary>
    public string? Cursor { get; private set; }

    /// <summary>What this attempt did.</summary>
    public ShardCounts ThisRun { get; private set; } = ShardCounts.Zero;

    public JobCounts Counts => written + seen;

    public static async Task<ShardAttempt> StartAsync(IJobProgressStore progress, TimeProvider time, JobKey key, int shard, CancellationToken cancellationToken)
    {
        var recorded = await progress.GetShardAsync(key, shard, cancellationToken).ConfigureAwait(false);
        var written = recorded is { Finished: true } ? JobCounts.Zero : await progress.WrittenAsync(key, shard, cancellationToken).ConfigureAwait(false);
        return new ShardAttempt(progress, time, key, shard, recorded, written);
    }

    /// <summary>The result for a shard finished before: its recorded counts.</summary>
    public ShardResult Skipped() => new(Shard, Recorded!.Counts, JobCounts.Zero, Skipped: true);

    /// <summary>Records a chunk that is in the store. Not cancellable: a stopped run resumes from this row.</summary>
    public async Task ChunkDoneAsync(ShardCounts done, string? cursor = null)
    {
        Add(done);
        Cursor = cursor ?? Cursor;
        await progress.SaveShardAsync(Key, Row(finished: false), CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Marks the shard finished with the written counters read back from the members' transactions.</summary>
    public async Task<ShardResult> FinishAsync(ShardCounts last, CancellationToken cancellationToken)
    {
        Add(last);
        written = await progress.WrittenAsync(Key, Shard, cancellationToken).ConfigureAwait(false);
        await progress.SaveShardAsync(Key, Row(finished: true), cancellationToken).ConfigureAwait(false);
        return new ShardResult(Shard, Counts, ThisRun.Total);
    }

    private void Add(ShardCounts done)
    {
        written += done.Written;
        seen += done.Seen;
        ThisRun += done;
    }

    private ShardProgress Row(bool finished) => new(Shard, finished, Counts, time.GetUtcNow(), Cursor, seen);
}
