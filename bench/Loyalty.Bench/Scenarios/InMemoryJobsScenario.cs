using System.Diagnostics;
using System.Globalization;
using System.Text;
using Loyalty.Bench.Infra;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Campaigns;
using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Events;
using Loyalty.Storage.InMemory;
using Microsoft.Extensions.DependencyInjection;

namespace Loyalty.Bench.Scenarios;

/// <summary>
/// The nightly review and the campaign fan-out at 10,000, 100,000 and 1,000,000 members on the in-memory ports
/// (<see cref="InMemoryStorage"/>), which Azurite cannot hold: the same members, program, campaign and checks as
/// <see cref="NightlyScenario"/> and <see cref="FanOutScenario"/>, without a storage bound (there is no storage to bound
/// by), measuring what grows with the member count: the job's CPU per member, its memory above the store
/// (<see cref="JobMemory"/>) and its storage requests per member, counted as the Table, Queue and Blob stores would send
/// them. The job and the store share the process, so its CPU holds the store's share too: a look-up in a sorted tree and the
/// row's (de)serialization per request, which the real stores pay as well (in the SDK).
/// </summary>
public static class InMemoryJobsScenario
{
    public const string Nightly = "nightly-mem";
    public const string FanOut = "fanout-mem";

    public static readonly int[] FullSizes = [10_000, 100_000, 1_000_000];
    private const int TinySize = 2_000;
    private const int WarmUpSize = 100_000;

    /// <summary>
    /// A smaller size is run on fresh stores until this many members have been through the job, and its figures are the
    /// runs' mean: a single run of 10,000 lasts under a second and moved by a third from one run to the next.
    /// </summary>
    private const int MeasuredMembersAtLeast = 100_000;

    /// <summary>CPU per member may differ from the smallest size's by this much.</summary>
    private const double CpuTolerance = 0.20;

    /// <summary>
    /// The job's memory at the largest size may exceed the smallest size's by this factor plus <see cref="MemorySlack"/>
    /// (a collection's granularity).
    /// </summary>
    private const double MemoryTolerance = 1.25;
    private const long MemorySlack = 32L * 1024 * 1024;

    private sealed record Run(int Members, double CpuSeconds, double Seconds, JobMemoryUse Memory, double RequestsPerMember, long Units);

    public static async Task RunAsync(BenchContext context, string scenario, IReadOnlyList<int>? sizes, int parallelism, CancellationToken cancellationToken)
    {
        sizes = sizes is { Count: > 0 } ? sizes : context.Tiny ? [TinySize] : FullSizes;
        var job = scenario == Nightly ? "the nightly review" : "a campaign fan-out";
        var members = string.Join(", ", sizes.Select(s => s.ToString("N0", CultureInfo.InvariantCulture)));
        Ui.Heading($"{scenario}: {job} on the in-memory ports at {members} members");
        // An unmeasured run first, so the JIT's tiers (and dynamic PGO's) have settled before anything is timed: a run of
        // 10,000 was too short for the nightly review, whose first measured size then cost twice its CPU per member.
        if (!context.Tiny) await OnceAsync(context, scenario, Math.Min(WarmUpSize, sizes.Max()), parallelism, measured: false, cancellationToken);
        var runs = new List<Run>();
        foreach (var size in sizes)
        {
            var repetitions = context.Tiny ? 1 : Math.Max(1, MeasuredMembersAtLeast / size);
            var repeated = new List<Run>();
            for (var repetition = 1; repetition <= repetitions; repetition++)
            {
                var label = repetitions == 1 ? "" : $" (run {repetition} of {repetitions})";
                repeated.Add(await OnceAsync(context, scenario, size, parallelism, measured: true, cancellationToken, label));
            }
            runs.Add(new Run(size, repeated.Average(r => r.CpuSeconds), repeated.Average(r => r.Seconds), repeated.MaxBy(r => r.Memory.Job)!.Memory,
                repeated.Average(r => r.RequestsPerMember), repeated[0].Units));
        }
        Targets(context, scenario, runs);
        context.Report.Print(scenario);
    }

    private static async Task<Run> OnceAsync(
        BenchContext context, string scenario, int count, int parallelism, bool measured, CancellationToken cancellationToken, string label = "")
    {
        var report = context.Report;
        var checks = measured ? $"{scenario} {count:N0}{label}" : $"{scenario} warm-up";
        var nightly = scenario == Nightly;
        var programId = nightly ? NightlyScenario.ProgramId : FanOutScenario.ProgramId;
        var storage = new InMemoryStorage();
        var clock = new ShiftedClock(BatchJobBench.LoadedAt);
        var services = new ServiceCollection()
            .AddSingleton(nightly ? TimeProvider.System : clock)
            .AddInMemoryStorage(storage)
            .AddLoyaltyApplication()
            .BuildServiceProvider();
        var created = await services.GetRequiredService<IProgramService>().CreateAsync(
            new CreateProgram
            {
                Definition = CalendarYearMembers.Definition(programId), Name = "Benchmark calendar year", Shards = BatchJobBench.Shards,
            },
            cancellationToken);
        if (!created.IsValid)
            throw new InvalidOperationException($"The program was refused: {string.Join("; ", created.Errors.Select(e => e.Message))}");
        var program = LoadedProgram.From(await services.GetRequiredService<IProgramStore>().GetAsync(programId, cancellationToken)
            ?? throw new InvalidOperationException($"Program '{programId}' was created but cannot be read."));
        var generator = new CalendarYearMembers(programId, BatchJobBench.Seed);

        var load = Stopwatch.StartNew();
        await Ui.ProgressAsync($"loading {count:N0} members into the in-memory Members table", count, async progress =>
        {
            await MemberLoader.LoadAsync(services.GetRequiredService<IMemberStore>(), program, count, n => generator.Build(generator.PlanOf(n)),
                BatchJobBench.LoadedAt, Environment.ProcessorCount, progress, cancellationToken);
            return 0;
        }, "members");
        var loaded = load.Elapsed;
        var audience = nightly ? null : FanOutScenario.Audience(generator, count);
        var expectedRun = nightly ? null : await FanOutScenario.ScheduleAsync(services, program, clock, cancellationToken);

        storage.Requests.Reset();
        var options = new JobRunOptions { Parallelism = parallelism };
        using var memory = JobMemory.Start(() => storage.Size().Bytes);
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var (pauseBefore, gen0Before, gen2Before) = (GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(2));
        var sample = context.Cpu.Start();
        var timer = Stopwatch.StartNew();
        var counter = nightly ? NightlyReview.Counts.Reviewed : CampaignFanOut.Counts.Scanned;
        var (review, scheduler) = (services.GetRequiredService<NightlyReview>(), services.GetRequiredService<CampaignScheduler>());
        var job = nightly ? "NightlyReview.RunAsync" : "CampaignScheduler.RunDueAsync";
        var reports = await Ui.ProgressAsync($"{job}: {BatchJobBench.Shards} shards, {parallelism} at once", count,
            async progress => nightly
                ? [await review.RunAsync(programId, CalendarYearMembers.ReviewDate, options, new BatchJobBench.Counter(progress, counter), cancellationToken)]
                : await scheduler.RunDueAsync(options, new BatchJobBench.Counter(progress, counter), cancellationToken), "members");
        var elapsed = timer.Elapsed;
        process.Refresh();
        var cpuTotal = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        var cpu = sample.Stop();
        var used = memory.Stop();
        var (paused, gen0, gen2) = (GC.GetTotalPauseDuration() - pauseBefore, GC.CollectionCount(0) - gen0Before, GC.CollectionCount(2) - gen2Before);
        var requests = storage.Requests.Snapshot();
        var (transactionOperations, entitiesRead) = (storage.Requests.TransactionOperations, storage.Requests.EntitiesRead);
        var counts = JobCounts.Sum(reports.Select(r => r.ThisRun));
        var units = nightly ? count : Math.Max(1, counts[CampaignFanOut.Counts.Delivered]);
        var unit = nightly ? "member reviewed" : "delivery";

        if (nightly)
        {
            var again = await review.RunAsync(programId, CalendarYearMembers.ReviewDate, options, null, cancellationToken);
            await NightlyScenario.VerifyAsync(context, checks, services, _ => Task.FromResult(storage.Notifications.Drain()), generator, program, count,
                reports[0], again, cancellationToken);
        }
        else
        {
            var (messages, notifications) = storage.Notifications.Drain();
            var queued = notifications.Where(n => n.Events.OfType<CampaignDelivered>().Any()).DistinctBy(n => n.Id).Count();
            var again = await scheduler.RunDueAsync(options, null, cancellationToken);
            await FanOutScenario.VerifyAsync(context, checks, services,
                (name, _) => Task.FromResult(Encoding.UTF8.GetString(storage.CampaignFiles.Read(name[(storage.CampaignFiles.Name.Length + 1)..])
                    ?? throw new InvalidOperationException($"The audience file {name} was listed but is not there."))),
                audience!, count, expectedRun!, reports, counts, queued, again, cancellationToken);
            if (measured)
            {
                report.Detail(scenario, $"{count:N0}{label}: notifications queue after the run",
                    $"{notifications.Count:N0} notifications in {messages:N0} messages");
            }
        }

        // The sampler's forced collections are not the job's work.
        var jobCpu = Math.Max(0, cpuTotal - used.Collecting.TotalSeconds);
        var total = requests.Values.Sum();
        var run = new Run(count, jobCpu, elapsed.TotalSeconds, used, (double)total / count, units);
        if (!measured) return run;

        report.Add(new Measurement
        {
            Scenario = scenario, Name = $"{count:N0} members{label}", Concurrency = parallelism, Value = count / elapsed.TotalSeconds, Unit = "members/s",
            Operations = count, Seconds = elapsed.TotalSeconds, Cpu = cpu,
            Note = string.Create(CultureInfo.InvariantCulture,
                $"CPU {jobCpu / count * 1000:0.000} s per 1,000 members; job heap above the store {Mi(used.Job)} MiB; " +
                $"peak working set {Mi(used.PeakWorkingSet)} MiB; " +
                $"{(double)total / count:0.00} requests per member ({(double)total / units:0.00} per {unit}); {counts}"),
        });
        report.Detail(scenario, $"{count:N0}{label}: storage requests per {unit} (counted)",
            BatchJobBench.RequestsPer(requests, transactionOperations, units, unit));
        report.Detail(scenario, $"{count:N0}{label}: memory", string.Create(CultureInfo.InvariantCulture,
            $"store {Mi(used.StoreBefore)} → {Mi(used.StoreAfter)} MiB of rows and blobs; live heap {Mi(used.HeapBefore)} → {Mi(used.HeapAfter)} MiB; " +
            $"the job's own heap above the store at most {Mi(used.Job)} MiB ({used.Samples} samples); peak working set {Mi(used.PeakWorkingSet)} MiB; " +
            $"load {loaded.TotalSeconds:0.0} s; the sampler's forced collections took {used.Collecting.TotalSeconds:0.0} s of CPU, taken off the job's"));
        // The store's keys and row objects live in the job's heap, as Table Storage's do not (the row values live outside
        // the heap): each collection of the job's garbage also walks them, a cost that grows with the store and that the
        // job on real storage does not pay.
        var jobPauses = Math.Max(0, paused.TotalSeconds - used.Collecting.TotalSeconds);
        report.Detail(scenario, $"{count:N0}{label}: garbage collection", string.Create(CultureInfo.InvariantCulture,
            $"{gen0:N0} collections ({gen2:N0} of them full, the sampler's included); paused {paused.TotalSeconds:0.0} s of the job's " +
            $"{elapsed.TotalSeconds:0.0} s, {jobPauses / count * 1000:0.000} s per 1,000 members without the sampler's"));
        report.Rates(scenario, nightly ? "nightly review, per member" : "campaign fan-out, per delivery", requests, units, transactionOperations, entitiesRead);
        return run;
    }

    private static void Targets(BenchContext context, string scenario, List<Run> runs)
    {
        var (first, last) = (runs[0], runs[^1]);
        var perMember = runs.Select(r => r.CpuSeconds / r.Members).ToList();
        var spread = perMember.Max(c => Math.Abs(c / perMember[0] - 1));
        var sized = runs.Count > 1 && !context.Tiny;
        context.Report.Target(scenario, $"CPU per member flat within ±{CpuTolerance:P0} from {first.Members:N0} to {last.Members:N0} members",
            string.Join(", ", runs.Select(r =>
                string.Create(CultureInfo.InvariantCulture, $"{r.Members:N0}: {r.CpuSeconds / r.Members * 1000:0.000} s per 1,000"))) +
            $" (at most {spread:P0} off the first)", sized ? spread <= CpuTolerance : null);
        context.Report.Target(scenario, "the job's memory above the store independent of the member count",
            string.Join(", ", runs.Select(r => $"{r.Members:N0}: {Mi(r.Memory.Job)} MiB")),
            sized ? last.Memory.Job <= first.Memory.Job * MemoryTolerance + MemorySlack : null);
    }

    private static string Mi(long bytes) => (bytes / 1024.0 / 1024).ToString("N0", CultureInfo.InvariantCulture);
}
