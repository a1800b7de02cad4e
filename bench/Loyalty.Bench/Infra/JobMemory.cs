using System.Diagnostics;

namespace Loyalty.Bench.Infra;

/// <summary>
/// What a job running in this process adds to memory above the store it works on, which itself grows as the job writes.
/// A sampler thread reads the working set every 100 ms and now and then forces a full (non-compacting) collection, then
/// reads the live managed heap and, at that moment, how many bytes the store holds (<paramref name="storeBytes"/>). The
/// heap a store byte costs is known at the end (heap growth over store growth between the start and the end, both
/// after a full collection, when the job holds nothing any more), so every sample splits into store and job.
/// The forced collections take CPU that is not the job's: the sampler thread's CPU time across them (a blocking
/// workstation collection runs on the thread that asks for it) is kept, to take off the job's CPU.
/// Collections are spaced at least twenty times their own length apart, so they cost at most about 5 % of the run.
/// </summary>
public sealed class JobMemory : IDisposable
{
    private static readonly TimeSpan WorkingSetEvery = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MinCollectionGap = TimeSpan.FromSeconds(1);

    private readonly Func<long> storeBytes;
    private readonly List<(long Heap, long Store)> samples = [];
    private readonly CancellationTokenSource stop = new();
    private readonly Thread thread;
    private long peakWorkingSet;
    private TimeSpan collecting;

    private JobMemory(Func<long> storeBytes)
    {
        this.storeBytes = storeBytes;
        (HeapBefore, StoreBefore) = Settle(storeBytes);
        thread = new Thread(Sample) { IsBackground = true, Name = "job memory sampler" };
        thread.Start();
    }

    /// <summary>The live heap and the store's bytes when the job started, after a full compacting collection.</summary>
    public long HeapBefore { get; }
    public long StoreBefore { get; }

    public static JobMemory Start(Func<long> storeBytes) => new(storeBytes);

    /// <summary>Stops sampling, settles the heap and splits the samples.</summary>
    public JobMemoryUse Stop()
    {
        stop.Cancel();
        thread.Join();
        var (heapAfter, storeAfter) = Settle(storeBytes);
        var perStoreByte = storeAfter == StoreBefore ? 0 : (double)(heapAfter - HeapBefore) / (storeAfter - StoreBefore);
        var job = samples.Count == 0 ? 0 : samples.Max(s => s.Heap - (HeapBefore + (long)((s.Store - StoreBefore) * perStoreByte)));
        return new JobMemoryUse(
            HeapBefore, heapAfter, StoreBefore, storeAfter, Math.Max(0, job), samples.Count, Interlocked.Read(ref peakWorkingSet), collecting);
    }

    public void Dispose()
    {
        if (!stop.IsCancellationRequested) Stop();
        stop.Dispose();
    }

    private void Sample()
    {
        using var process = Process.GetCurrentProcess();
        var next = Stopwatch.StartNew();
        var gap = MinCollectionGap;
        while (!stop.Token.WaitHandle.WaitOne(WorkingSetEvery))
        {
            process.Refresh();
            if (process.WorkingSet64 > peakWorkingSet) Interlocked.Exchange(ref peakWorkingSet, process.WorkingSet64);
            if (next.Elapsed < gap) continue;
            var clock = Stopwatch.StartNew();
            var cpu = ThreadCpu();
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
            var heap = GC.GetTotalMemory(false);
            var store = storeBytes();
            collecting += ThreadCpu() is { } after && cpu is { } before ? after - before : clock.Elapsed;
            lock (samples) samples.Add((heap, store));
            gap = TimeSpan.FromTicks(Math.Max(MinCollectionGap.Ticks, 20 * clock.Elapsed.Ticks));
            next.Restart();
        }
    }

    /// <summary>This thread's CPU time (user and system) where Linux tells it (/proc/thread-self/stat, in ticks of 10 ms); null elsewhere.</summary>
    private static TimeSpan? ThreadCpu()
    {
        const string stat = "/proc/thread-self/stat";
        if (!File.Exists(stat)) return null;
        var text = File.ReadAllText(stat);
        // Fields after the command name (which may hold spaces, so after its closing parenthesis): utime and stime are the 12th and 13th.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        var ticks = long.Parse(fields[11], culture) + long.Parse(fields[12], culture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    private static (long Heap, long Store) Settle(Func<long> storeBytes)
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return (GC.GetTotalMemory(true), storeBytes());
    }
}

/// <param name="HeapBefore">Live managed heap when the job started (the loaded store and the benchmark's own data).</param>
/// <param name="HeapAfter">Live managed heap when it ended: the store has grown by what the job wrote.</param>
/// <param name="Job">The most the job held above the store at any sample: its own memory.</param>
/// <param name="Collecting">CPU time of the sampler's forced collections, not the job's.</param>
public sealed record JobMemoryUse(
    long HeapBefore, long HeapAfter, long StoreBefore, long StoreAfter, long Job, int Samples, long PeakWorkingSet, TimeSpan Collecting);
