using System.Diagnostics;

namespace Loyalty.Bench.Infra;

/// <summary>Latency percentiles in milliseconds.</summary>
public sealed record LatencyStats(double P50, double P95, double P99, double Max, long Samples)
{
    public static LatencyStats From(List<double> milliseconds)
    {
        if (milliseconds.Count == 0) return new LatencyStats(double.NaN, double.NaN, double.NaN, double.NaN, 0);
        milliseconds.Sort();
        return new LatencyStats(At(0.50), At(0.95), At(0.99), milliseconds[^1], milliseconds.Count);

        // Nearest rank: the smallest sample with at least p of the samples at or below it.
        double At(double p) => milliseconds[Math.Clamp((int)Math.Ceiling(p * milliseconds.Count) - 1, 0, milliseconds.Count - 1)];
    }
}

/// <summary>What one measured run did: operations completed inside the measured window, its length, latencies, CPU.</summary>
public sealed record RunResult(long Operations, double Seconds, LatencyStats Latency, long Errors, string? FirstError, CpuUse Cpu)
{
    public double Rate => Seconds > 0 ? Operations / Seconds : 0;

    /// <summary>The latency samples behind <see cref="Latency"/>, so runs can be merged.</summary>
    public IReadOnlyList<double> Samples { get; init; } = [];

    /// <summary>Several runs of the same thing as one: operations and seconds add up, latencies pool, CPU is time-weighted.</summary>
    public static RunResult Merge(IReadOnlyList<RunResult> runs)
    {
        var seconds = runs.Sum(r => r.Seconds);
        double Weighted(Func<CpuUse, double> value) => seconds > 0 ? runs.Sum(r => value(r.Cpu) * r.Seconds) / seconds : 0;
        var samples = runs.SelectMany(r => r.Samples).ToList();
        return new RunResult(
            runs.Sum(r => r.Operations), seconds, LatencyStats.From([.. samples]), runs.Sum(r => r.Errors), runs.Select(r => r.FirstError)
            .FirstOrDefault(e => e is not null),
            new CpuUse(Weighted(c => c.Azurite), Weighted(c => c.Host), Weighted(c => c.Bench), Weighted(c => c.Other), runs[0].Cpu.MachineCores))
        {
            Samples = samples,
        };
    }
}

/// <summary>Load generators: closed loop (N callers back to back) and open loop (a fixed arrival rate).</summary>
public static class Load
{
    /// <summary>
    /// <paramref name="concurrency"/> callers run <paramref name="operation"/> back to back for <paramref name="warmup"/> +
    /// <paramref name="duration"/>; only operations completing inside the measured window count, so the rate is
    /// completions per second of that window. <paramref name="operation"/> gets the caller's index and its own sequence number.
    /// </summary>
    public static async Task<RunResult> ClosedAsync(
        int concurrency, TimeSpan warmup, TimeSpan duration, Func<int, long, CancellationToken, Task> operation, CpuMonitor cpu,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var measureTo = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var latencies = new List<double>[concurrency];
        long errors = 0;
        string? firstError = null;
        CpuMonitor.Sample? sample = null;
        var sampleGate = new object();

        using var reporter = Report(progress, start, measureTo);
        var callers = Enumerable.Range(0, concurrency).Select(caller => Task.Run(async () =>
        {
            var mine = latencies[caller] = new List<double>(4096);
            for (long n = 0; !cancellationToken.IsCancellationRequested; n++)
            {
                var began = Stopwatch.GetTimestamp();
                if (began >= measureTo) break;
                if (began >= measureFrom && sample is null)
                {
                    lock (sampleGate) sample ??= cpu.Start();
                }

                try
                {
                    await operation(caller, n, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    if (Interlocked.Increment(ref errors) == 1) firstError = $"{e.GetType().Name}: {e.Message}";
                    continue;
                }

                var ended = Stopwatch.GetTimestamp();
                if (ended >= measureFrom && ended <= measureTo) mine.Add(Stopwatch.GetElapsedTime(began, ended).TotalMilliseconds);
            }
        }, CancellationToken.None)).ToArray();
        await Task.WhenAll(callers);
        var use = (sample ?? cpu.Start()).Stop();
        var all = latencies.Where(l => l is not null).SelectMany(l => l).ToList();
        var seconds = Math.Min(duration.TotalSeconds, Math.Max(0, Stopwatch.GetElapsedTime(measureFrom).TotalSeconds));
        return new RunResult(all.Count, seconds, LatencyStats.From([.. all]), errors, firstError, use) { Samples = all };
    }

    /// <summary>
    /// Runs <paramref name="operation"/> for each of <paramref name="count"/> items with at most <paramref name="concurrency"/>
    /// at once (a fixed amount of work, such as loading rows or draining a queue), timing the whole.
    /// </summary>
    public static async Task<RunResult> CountAsync(
        long count, int concurrency, Func<long, CancellationToken, Task<int>> operation, CpuMonitor cpu,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        long next = -1, done = 0, errors = 0;
        string? firstError = null;
        var latencies = new List<double>[concurrency];
        var sample = cpu.Start();
        var start = Stopwatch.GetTimestamp();
        var callers = Enumerable.Range(0, concurrency).Select(caller => Task.Run(async () =>
        {
            var mine = latencies[caller] = new List<double>(1024);
            while (!cancellationToken.IsCancellationRequested)
            {
                var item = Interlocked.Increment(ref next);
                if (item >= count) break;
                var began = Stopwatch.GetTimestamp();
                try
                {
                    var units = await operation(item, cancellationToken);
                    mine.Add(Stopwatch.GetElapsedTime(began).TotalMilliseconds);
                    progress?.Report(Interlocked.Add(ref done, units));
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    if (Interlocked.Increment(ref errors) == 1) firstError = $"{e.GetType().Name}: {e.Message}";
                }
            }
        }, CancellationToken.None)).ToArray();
        await Task.WhenAll(callers);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var use = sample.Stop();
        var all = latencies.Where(l => l is not null).SelectMany(l => l).ToList();
        return new RunResult(Interlocked.Read(ref done), seconds, LatencyStats.From(all), errors, firstError, use);
    }

    /// <summary>
    /// Open loop: operation i is due at start + i / <paramref name="ratePerSecond"/>, whether or not earlier ones finished
    /// (up to <paramref name="maxInFlight"/>), and its latency counts from when it was due, so a stall shows in the
    /// percentiles instead of silently lowering the offered rate.
    /// </summary>
    public static async Task<RunResult> OpenAsync(
        double ratePerSecond, TimeSpan duration, int maxInFlight, Func<long, CancellationToken, Task> operation, CpuMonitor cpu,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var total = (long)Math.Max(1, Math.Round(ratePerSecond * duration.TotalSeconds));
        var latencies = new List<double>((int)Math.Min(total, 1_000_000));
        var gate = new SemaphoreSlim(maxInFlight, maxInFlight);
        var running = new List<Task>((int)Math.Min(total, 1_000_000));
        long errors = 0;
        string? firstError = null;
        var sample = cpu.Start();
        var start = Stopwatch.GetTimestamp();
        using var reporter = Report(progress, start, start + (long)(duration.TotalSeconds * Stopwatch.Frequency));
        for (long i = 0; i < total && !cancellationToken.IsCancellationRequested; i++)
        {
            var due = start + (long)(i / ratePerSecond * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait, cancellationToken);
            await gate.WaitAsync(cancellationToken);
            var item = i;
            running.Add(Task.Run(async () =>
            {
                try
                {
                    await operation(item, cancellationToken);
                    var latency = Stopwatch.GetElapsedTime(due).TotalMilliseconds;
                    lock (latencies) latencies.Add(latency);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    if (Interlocked.Increment(ref errors) == 1) firstError = $"{e.GetType().Name}: {e.Message}";
                }
                finally
                {
                    gate.Release();
                }
            }, CancellationToken.None));
        }

        await Task.WhenAll(running);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return new RunResult(latencies.Count, seconds, LatencyStats.From(latencies), errors, firstError, sample.Stop());
    }

    /// <summary>Reports the elapsed fraction of a timed run every 100 ms.</summary>
    private static Timer? Report(IProgress<double>? progress, long start, long end) =>
        progress is null
            ? null
            : new Timer(_ => progress.Report(Math.Clamp((double)(Stopwatch.GetTimestamp() - start) / (end - start), 0, 1)), null, 0, 100);
}
