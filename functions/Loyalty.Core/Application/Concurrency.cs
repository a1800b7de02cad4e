using Loyalty.Core.Validation;

namespace Loyalty.Core.Application;

/// <summary>Optimistic concurrency: on a lost race, reload and try again a bounded number of times, then say "busy".</summary>
internal static class Concurrency
{
    public const int MaxAttempts = 10;

    /// <param name="attempt">Returns the result, or null when another writer won and the attempt should be repeated.</param>
    public static async Task<Result<T>> RetryAsync<T>(Func<Task<Result<T>?>> attempt, CancellationToken cancellationToken)
    {
        for (var i = 0; i < MaxAttempts; i++)
        {
            if (await attempt() is { } result) return result;
            // Jitter spreads the losers of one race so they do not collide again on the next try. Real time, not the
            // injected TimeProvider: a test's frozen clock must not stall the retry.
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 4 << Math.Min(i, 5))), cancellationToken);
        }
        return Result<T>.Fail(ApplicationErrors.Busy, "", "The member is being changed by many requests at once; try again shortly.");
    }
}
