using Loyalty.Core.Application.Ports;

namespace Loyalty.Core.Application.Jobs;

/// <summary>
/// One attempt at a shard of a <see cref="ShardedJob"/> and its progress row.
/// The row is for resuming and for watching; the written counters of a finished shard come from what the members'
/// transactions recorded (<see cref="IJobProgressStore.WrittenAsync"/>), so neither a crash between a chunk's commit and
/// the row nor two runners overwriting each other's row can make them wrong.
/// </summary>
internal sealed class ShardAttempt
{
    private readonly IJobProgressStore progress;
    private readonly TimeProvider time;
    private readonly ShardSlice? slice;
    private readonly long startedAt;
    private int chunks;
    private JobCounts written;
    private JobCounts seen;

    private ShardAttempt(
        IJobProgressStore progress, TimeProvider time, JobKey key, int shard, ShardSlice? slice, ShardProgress? recorded, JobCounts writtenBefore)
    {
        this.progress = progress;
        this.time = time;
        this.slice = slice;
        startedAt = time.GetTimestamp();
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

    /// <summary>
    /// Whether this call has done its <see cref="ShardSlice"/> (never before its first chunk): the job then returns
    /// <see cref="Paused"/> after the chunk it recorded last, rather than start another.
    /// </summary>
    public bool SliceSpent => slice is not null && chunks > 0 && (chunks >= slice.MaxChunks || time.GetElapsedTime(startedAt) >= slice.MaxDuration);

    /// <param name="slice">How much this call may do; null: the whole shard.</param>
    public static async Task<ShardAttempt> StartAsync(
        IJobProgressStore progress, TimeProvider time, JobKey key, int shard, ShardSlice? slice, CancellationToken cancellationToken)
    {
        var recorded = await progress.GetShardAsync(key, shard, cancellationToken);
        var written = recorded is { Finished: true } ? JobCounts.Zero : await progress.WrittenAsync(key, shard, cancellationToken);
        return new ShardAttempt(progress, time, key, shard, slice, recorded, written);
    }

    /// <summary>The result for a shard finished before: its recorded counts.</summary>
    public ShardResult Skipped() => new(Shard, Recorded!.Counts, JobCounts.Zero, Skipped: true);

    /// <summary>The result of a call that used up its slice; its progress is recorded, so the next call goes on from there.</summary>
    public ShardResult Paused() => new(Shard, Counts, ThisRun.Total, Unfinished: true);

    /// <summary>Records a chunk that is in the store. Not cancellable: a stopped run resumes from this row.</summary>
    public async Task ChunkDoneAsync(ShardCounts done, string? cursor = null)
    {
        Add(done);
        chunks++;
        Cursor = cursor ?? Cursor;
        await progress.SaveShardAsync(Key, Row(finished: false), CancellationToken.None);
    }

    /// <summary>Marks the shard finished with the written counters read back from the members' transactions.</summary>
    public async Task<ShardResult> FinishAsync(ShardCounts last, CancellationToken cancellationToken)
    {
        Add(last);
        written = await progress.WrittenAsync(Key, Shard, cancellationToken);
        await progress.SaveShardAsync(Key, Row(finished: true), cancellationToken);
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
