using Loyalty.Core.Application.Ports;

namespace Loyalty.Core.Application.Jobs;

/// <summary>How often and how soon a host's timer starts a failing run again (<see cref="JobRestarts"/>).</summary>
public sealed record JobRestartPolicy
{
    public static JobRestartPolicy Default { get; } = new();

    /// <summary>Attempts a timer starts before it gives the run up.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>How long after the first attempt's start a timer may start the second; it doubles with every attempt.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromHours(2);

    /// <summary>How long after the start of attempt <paramref name="attempts"/> the next may start.</summary>
    public TimeSpan DelayAfter(int attempts) =>
        TimeSpan.FromTicks((long)Math.Min(MaxDelay.Ticks, FirstDelay.Ticks * Math.Pow(2, Math.Max(0, attempts - 1))));
}

/// <summary>What a timer does with a run whose latest attempt failed.</summary>
public enum RestartDecision
{
    /// <summary>Start it again now.</summary>
    Restart,

    /// <summary>Not yet: the delay after the latest attempt has not passed.</summary>
    Wait,

    /// <summary>This was the last attempt: the run is given up now (say so loudly, once).</summary>
    GiveUp,

    /// <summary>Given up before: only an operator's "run now" starts it again.</summary>
    GivenUp,
}

/// <summary>
/// Counts the attempts a Durable host starts at a run, in the run's <see cref="IJobProgressStore"/> partition, so that
/// a run failing for good (a campaign that no longer compiles, a bug) is not started every minute for ever: timers
/// restart it after a growing delay and give up after <see cref="JobRestartPolicy.MaxAttempts"/>, which the run's
/// progress shows (<see cref="JobProgressView.Attempts"/>). An operator's "run now" starts a new count.
/// Two hosts deciding at once may both count one start; the count is a brake, not a ledger.
/// </summary>
public sealed class JobRestarts(IJobProgressStore progress, TimeProvider time, JobRestartPolicy? policy = null)
{
    public JobRestartPolicy Policy { get; } = policy ?? JobRestartPolicy.Default;

    /// <summary>Decides on a run whose latest attempt failed with <paramref name="failure"/>, and records the failure.</summary>
    public async Task<RestartDecision> AfterFailureAsync(JobKey key, string failure, CancellationToken cancellationToken)
    {
        // No count: the run was started before counting began, or its progress was deleted to run it from scratch.
        if (await progress.GetAttemptsAsync(key, cancellationToken) is not { } attempts) return RestartDecision.Restart;
        if (attempts.GaveUp) return RestartDecision.GivenUp;
        var giveUp = attempts.Count >= Policy.MaxAttempts;
        if (giveUp || attempts.LastFailure != failure)
            await progress.SaveAttemptsAsync(key, attempts with { GaveUp = giveUp, LastFailure = failure }, cancellationToken);
        if (giveUp) return RestartDecision.GiveUp;
        return time.GetUtcNow() >= attempts.LastStartedAt + Policy.DelayAfter(attempts.Count) ? RestartDecision.Restart : RestartDecision.Wait;
    }

    /// <summary>Records that an attempt was started.</summary>
    /// <param name="fresh">The run's first start, or an operator's: the count starts again at one.</param>
    public async Task StartedAsync(JobKey key, bool fresh, CancellationToken cancellationToken)
    {
        var before = fresh ? null : await progress.GetAttemptsAsync(key, cancellationToken);
        await progress.SaveAttemptsAsync(key, new JobAttempts((before?.Count ?? 0) + 1, time.GetUtcNow(), LastFailure: before?.LastFailure), cancellationToken);
    }
}
