using Loyalty.Core.Application.Ports;

namespace Loyalty.Core.Application.Jobs;

/// <summary>
/// A job run over a program's Members shards, one idempotent activity per shard, by every host the same way: the local
/// host, the CLI and the tests run a run in this process (<see cref="RunAsync"/>, through <see cref="JobRunner"/>), Azure
/// as one Durable orchestration for any job (plan, shard and complete activities named by the run's <see cref="JobKey"/>).
/// A job says which runs are due, and what a shard does; the plan, the shard's progress row, the fan-in and the
/// local loop are the same for all. Its runs are told apart by <see cref="JobKey.Job"/>, which is <see cref="Name"/>.
/// </summary>
public abstract class ShardedJob
{
    private readonly ProgramCache programs;

    private protected ShardedJob(string name, ProgramCache programs, IJobProgressStore progress, TimeProvider time)
    {
        Name = name;
        this.programs = programs;
        Progress = progress;
        Time = time;
        Runner = new JobRunner(progress, time);
    }

    /// <summary>The job's name in its runs' keys ("nightly-review"), and so in their Durable instance ids.</summary>
    public string Name { get; }

    public JobRunner Runner { get; }

    private protected IJobProgressStore Progress { get; }

    private protected TimeProvider Time { get; }

    /// <summary>
    /// The runs to start or resume at <paramref name="now"/>, each marked started wherever the job keeps its own state
    /// (a campaign's running run): what a host's timer calls.
    /// </summary>
    public abstract Task<IReadOnlyList<JobKey>> StartDueAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>When <see cref="StartDueAsync"/> may next find a run; a local host sleeps until then, within its bounds.</summary>
    public virtual Task<DateTimeOffset> NextDueAtAsync(DateTimeOffset now, CancellationToken cancellationToken) => Task.FromResult(now);

    /// <summary>The plan: every shard of the program's Members table.</summary>
    /// <exception cref="InvalidOperationException">There is no such program.</exception>
    public async Task<JobPlan> PlanAsync(JobKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var program = await LoadAsync(key.ProgramId, cancellationToken);
        return new JobPlan(key, [.. Enumerable.Range(0, program.Settings.Shards)]);
    }

    /// <summary>
    /// The shard activity. Safe to run again at any point (after a crash, as a Durable retry or replay): a finished shard
    /// returns its recorded counts, an interrupted one carries on from its progress.
    /// </summary>
    /// <param name="slice">How much of the shard this call may do (<see cref="ShardResult.Unfinished"/>); null: all of it.</param>
    public async Task<ShardResult> RunShardAsync(JobKey key, int shard, ShardSlice? slice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var attempt = await ShardAttempt.StartAsync(Progress, Time, key, shard, slice, cancellationToken);
        if (attempt.Recorded is { Finished: true }) return attempt.Skipped();

        var program = await LoadAsync(key.ProgramId, cancellationToken);
        if (shard < 0 || shard >= program.Settings.Shards)
            throw new ArgumentOutOfRangeException(nameof(shard), shard, $"Program '{key.ProgramId}' has shards 0 to {program.Settings.Shards - 1}.");
        return await RunShardAsync(attempt, program, cancellationToken);
    }

    /// <summary>The fan-in of a Durable orchestration: records the run's totals, then whatever the job does once a run is complete.</summary>
    public async Task<JobTotals> CompleteAsync(JobKey key, IReadOnlyList<ShardResult> results, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(results);
        var totals = new JobTotals(JobCounts.Sum(results.Select(r => r.Counts)), results.Count, Time.GetUtcNow());
        await Progress.CompleteAsync(key, totals, cancellationToken);
        await CompletedAsync(key, cancellationToken);
        return totals;
    }

    /// <summary>Runs a run in this process (<see cref="JobRunner"/>), resuming where an earlier attempt stopped.</summary>
    public async Task<JobReport> RunAsync(JobKey key, JobRunOptions? options = null, IProgress<JobStatus>? report = null,
        CancellationToken cancellationToken = default)
    {
        var plan = await PlanAsync(key, cancellationToken);
        var done = await Runner.RunAsync(plan, (shard, token) => RunShardAsync(key, shard, null, token), options, report, cancellationToken);
        await CompletedAsync(key, cancellationToken);
        return done;
    }

    /// <summary>What a local host's background service calls on a timer: every due run, one after another.</summary>
    public async Task<IReadOnlyList<JobReport>> RunDueAsync(JobRunOptions? options = null, IProgress<JobStatus>? report = null,
        CancellationToken cancellationToken = default)
    {
        var reports = new List<JobReport>();
        foreach (var key in await StartDueAsync(Time.GetUtcNow(), cancellationToken))
            reports.Add(await RunAsync(key, options, report, cancellationToken));
        return reports;
    }

    /// <summary>
    /// The job's work on one shard of a run, from where <paramref name="attempt"/> says an earlier one stopped: records each
    /// chunk with the attempt, and returns paused once its slice is spent, or finished.
    /// </summary>
    private protected abstract Task<ShardResult> RunShardAsync(ShardAttempt attempt, LoadedProgram program, CancellationToken cancellationToken);

    /// <summary>
    /// After a run's totals are recorded, by either host, and again for a run found complete before: so it must be safe
    /// to repeat. Nothing, unless the job keeps state of its own about its runs.
    /// </summary>
    private protected virtual Task CompletedAsync(JobKey key, CancellationToken cancellationToken) => Task.CompletedTask;

    private protected async Task<LoadedProgram> LoadAsync(string programId, CancellationToken cancellationToken) =>
        await programs.GetAsync(programId, cancellationToken)
        ?? throw new InvalidOperationException($"There is no program '{programId}' to run {Name} for.");
}
