using Loyalty.Bench.Infra;

namespace Loyalty.Bench.Scenarios;

/// <summary>
/// A result and its bound measured in alternating slices (bound, result, bound, result, …) at the same concurrency, so a
/// burst of load from elsewhere on a shared machine lands on both alike and their ratio stays fair.
/// </summary>
public static class Paired
{
    /// <summary>
    /// Load for a while before measuring: a fresh host spends its first minute JIT-compiling its hot paths a second time
    /// (tiered compilation), which a profile of the local host showed as a third of its CPU in the first 20 s of load.
    /// </summary>
    public static Task<RunResult> WarmUpAsync(
        BenchContext context, string label, int concurrency, Func<int, long, CancellationToken, Task> operation, CancellationToken cancellationToken)
    {
        var duration = context.Tiny ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(20);
        return Ui.TimedAsync($"warm-up: {label}, c={concurrency}, {duration.TotalSeconds:0} s", progress =>
            Load.ClosedAsync(concurrency, TimeSpan.Zero, duration, operation, context.Cpu, progress, cancellationToken));
    }

    public static async Task<(RunResult Bound, RunResult Result)> InterleavedAsync(
        BenchContext context, string boundLabel, Func<int, long, CancellationToken, Task> bound,
        string resultLabel, Func<int, long, CancellationToken, Task> result,
        int concurrency, int slices, TimeSpan slice, CancellationToken cancellationToken)
    {
        var bounds = new List<RunResult>();
        var results = new List<RunResult>();
        var warmup = context.Tiny ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromMilliseconds(300);
        await Ui.ProgressAsync(
            $"{boundLabel} and {resultLabel}, c={concurrency}: {slices} alternating slices of {slice.TotalSeconds:0.#} s each (+ " +
                $"{warmup.TotalSeconds:0.#} s ramp-up per slice)",
            slices * 2, async progress =>
            {
                for (var i = 0; i < slices; i++)
                {
                    // The first slice of each gets the scenario's full warm-up (JIT, connections).
                    bounds.Add(await Load.ClosedAsync(concurrency, i == 0 ? context.Scale.Warmup : warmup, slice, bound, context.Cpu, null, cancellationToken));
                    progress.Report(i * 2 + 1);
                    results.Add(
                        await Load.ClosedAsync(concurrency, i == 0 ? context.Scale.Warmup : warmup, slice, result, context.Cpu, null, cancellationToken));
                    progress.Report(i * 2 + 2);
                }

                return 0;
            });
        return (RunResult.Merge(bounds), RunResult.Merge(results));
    }
}
