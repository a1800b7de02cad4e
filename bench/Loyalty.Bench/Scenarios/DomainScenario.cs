using System.Collections.Immutable;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Loyalty.Bench.Infra;
using Loyalty.Core.Accrual;
using Loyalty.Core.Application.Demo;
using Loyalty.Core.Members;
using Loyalty.Core.Programs;
using Loyalty.Core.Receipts;
using Spectre.Console;

namespace Loyalty.Bench.Scenarios;

/// <summary>
/// In-memory scoring (no I/O): <see cref="ReceiptScorer.Score"/> over pet-shop baskets of 1–4 lines with the demo program,
/// in a Stopwatch loop (a warm-up round, then rounds whose median is reported). Also, for context, the whole per-receipt
/// domain step the receipt service runs (<see cref="MemberBook.Apply"/>: score, lots, tier, vouchers, stamps, ledger).
/// </summary>
public static class DomainScenario
{
    public const string Name = "domain";
    private const int Receipts = 4_096;

    public static async Task RunAsync(BenchContext context, bool bdn, CancellationToken cancellationToken)
    {
        Ui.Heading("domain: in-memory scoring, no I/O");
        var report = context.Report;
        var scale = context.Scale;
        var definition = DemoProgram.Definition(DateTimeOffset.UtcNow.AddYears(-1));
        var program = CompiledProgram.Compile(definition).Value;
        var receipts = Workload(program);
        var lines = receipts.Sum(r => r.Lines.Count);
        report.Detail(Name, "workload", $"{Receipts:N0} receipts, {lines / (double)Receipts:0.00} lines on average, the demo program (no category " +
            "multipliers, so every line is one rate lookup)");

        // Sanity: the loop computes what it should (the demo program earns floor(amount) per line).
        var expected = receipts.Sum(r => r.Lines.Sum(l => (long)decimal.Floor(l.Amount)));
        var scored = receipts.Sum(r => ScoreOne(program, r));
        report.Check(Name, "scorer sum over the workload equals Σ floor(line amount) (1 point per krona)", scored == expected,
            $"{scored:N0} points, expected {expected:N0}");

        // One thread, rounds of a fixed length; the first round is warm-up (tiering, PGO).
        var rounds = new List<(double Wall, double PerCpuSecond, CpuUse Cpu)>();
        await Ui.ProgressAsync($"ReceiptScorer.Score, 1 thread: {scale.DomainRounds} rounds of {scale.DomainRound.TotalSeconds:0.#} s after a warm-up round",
            scale.DomainRounds, progress =>
        {
            Loop(program, receipts, scale.DomainRound);
            for (var round = 0; round < scale.DomainRounds; round++)
            {
                var sample = context.Cpu.Start();
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var (count, seconds, _) = Loop(program, receipts, scale.DomainRound);
                var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
                rounds.Add((count / seconds, count / Math.Max(cpuSeconds, 1e-6), sample.Stop()));
                progress.Report(round + 1);
            }

            return Task.FromResult(0);
        });
        var median = rounds.OrderBy(r => r.PerCpuSecond).ElementAt(rounds.Count / 2);
        var wallMedian = rounds.Select(r => r.Wall).Order().ElementAt(rounds.Count / 2);
        report.Add(new Measurement
        {
            Scenario = Name, Name = "ReceiptScorer.Score, 1 thread, per CPU-second", Concurrency = 1, Value = median.PerCpuSecond, Unit = "receipts/s/core",
            Operations = Receipts, Seconds = scale.DomainRound.TotalSeconds, Cpu = median.Cpu,
            Note = $"median of {rounds.Count} rounds (range {rounds.Min(r => r.PerCpuSecond):N0}–{rounds.Max(r => r.PerCpuSecond):N0}); " +
                "receipts per second of this process's CPU time, so time the shared machine gave to others does not count",
        });
        report.Add(new Measurement
        {
            Scenario = Name, Name = "ReceiptScorer.Score, 1 thread, wall clock", Concurrency = 1, Value = wallMedian, Unit = "receipts/s",
            Operations = Receipts, Seconds = scale.DomainRound.TotalSeconds, Cpu = median.Cpu,
            Note = $"median of {rounds.Count} rounds (range {rounds.Min(r => r.Wall):N0}–{rounds.Max(r => r.Wall):N0}); " +
                $"{wallMedian * lines / Receipts:N0} lines/s",
        });

        // Every core at once: the machine's total, divided by its cores.
        var cores = Environment.ProcessorCount;
        var all = await Ui.TimedAsync($"ReceiptScorer.Score, {cores} threads, {scale.DomainRound.TotalSeconds * 2:0.#} s", _ =>
        {
            var sample = context.Cpu.Start();
            var results = new (long Count, double Seconds, long Sink)[cores];
            var threads = Enumerable.Range(0, cores).Select(t =>
                new Thread(() => results[t] = Loop(program, receipts, scale.DomainRound * 2)) { IsBackground = true }).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            return Task.FromResult((Rate: results.Sum(r => r.Count / r.Seconds), Cpu: sample.Stop()));
        });
        report.Add(new Measurement
        {
            Scenario = Name, Name = $"ReceiptScorer.Score, {cores} threads, wall clock", Concurrency = cores, Value = all.Rate, Unit = "receipts/s",
            Seconds = scale.DomainRound.TotalSeconds * 2, Cpu = all.Cpu, Note = $"{all.Rate / cores:N0} receipts/s per core",
        });

        // The whole domain step of a receipt (what the service runs between its read and its write), for context.
        var apply = await Ui.TimedAsync($"MemberBook.Apply, 1 thread, {scale.DomainRound.TotalSeconds * 2:0.#} s", _ =>
            Task.FromResult(Apply(program, definition, receipts, scale.DomainRound * 2)));
        report.Add(new Measurement
        {
            Scenario = Name, Name = "MemberBook.Apply (the full per-receipt domain step), 1 thread", Concurrency = 1, Value = apply.Rate, Unit = "receipts/s",
            Operations = apply.Count, Seconds = apply.Seconds, Cpu = apply.Cpu,
            Note = $"for context, no target: scoring plus point lots, tier, automatic vouchers, stamp card, ledger and the operation record; " +
                $"{apply.PerCpuSecond:N0} per CPU-second ({1e6 / apply.PerCpuSecond:0.0} µs of CPU per receipt)",
        });

        if (bdn)
        {
            var mean = RunBenchmarkDotNet(program, receipts);
            report.Add(new Measurement
            {
                Scenario = Name, Name = "ReceiptScorer.Score, BenchmarkDotNet (in-process, short run)",
                Concurrency = 1, Value = 1e9 / mean, Unit = "receipts/s",
                Note = $"{mean:0.0} ns per receipt (BenchmarkDotNet mean); cross-check of the Stopwatch loop",
            });
        }

        report.Target(Name, "domain ≥ 1,000,000 receipts/s per core", $"{median.PerCpuSecond:N0}/s per CPU-second ({wallMedian:N0}/s wall clock)",
            context.Tiny ? null : median.PerCpuSecond >= 1_000_000);
        report.Print(Name);
    }

    public static Receipt[] Workload(CompiledProgram program)
    {
        var member = new BenchMember(1, "m-bench", "+46700000001");
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        return [.. Enumerable.Range(0, Receipts).Select(n => Baskets.ToDomain(Baskets.Receipt("dom", n, member, at, seed: 7), member.MemberId))];
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (long Count, double Seconds, long Sink) Loop(CompiledProgram program, Receipt[] receipts, TimeSpan duration)
    {
        var scores = new LineScore[8];
        long count = 0, sink = 0;
        var limit = (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var start = Stopwatch.GetTimestamp();
        while (true)
        {
            for (var i = 0; i < receipts.Length; i++) sink += ReceiptScorer.Score(program, receipts[i], scores).Points;
            count += receipts.Length;
            if (Stopwatch.GetTimestamp() - start >= limit) break;
        }

        return (count, Stopwatch.GetElapsedTime(start).TotalSeconds, sink);
    }

    private static long ScoreOne(CompiledProgram program, Receipt receipt)
    {
        Span<LineScore> scores = stackalloc LineScore[receipt.Lines.Count];
        return ReceiptScorer.Score(program, receipt, scores).Points;
    }

    private static (double Rate, double PerCpuSecond, long Count, double Seconds, CpuUse Cpu) Apply(
        CompiledProgram program, ProgramDefinition definition, Receipt[] receipts, TimeSpan duration)
    {
        var catalog = ProgramCatalog.Create(definition).Value;
        var now = DateTimeOffset.UtcNow;
        var today = program.LocalDate(now);
        // 64 members, each starting fresh, so states stay the size they have in production after a few receipts.
        var books = Enumerable.Range(0, 64).Select(i => MemberBook.Enrol(program, $"m-{i:D3}", today).Value.Book.State).ToArray();
        var monitor = new CpuMonitor(() => [], () => null).Start();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        var limit = (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long count = 0;
        while (Stopwatch.GetTimestamp() - start < limit)
        {
            for (var i = 0; i < 256; i++, count++)
            {
                var slot = (int)(count % books.Length);
                var template = receipts[count % receipts.Length];
                var receipt = template with { Id = $"a{count}", MemberId = books[slot].MemberId };
                var change = new MemberBook(books[slot], ImmutableDictionary<string, OperationRecord>.Empty).Apply(receipt, catalog, now);
                if (!change.IsValid) throw new InvalidOperationException($"MemberBook.Apply refused a receipt: " +
                    $"{string.Join("; ", change.Errors.Select(e => e.Message))}");
                books[slot] = change.Value.Book.State;
            }
        }

        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        return (count / seconds, count / Math.Max(cpuSeconds, 1e-6), count, seconds, monitor.Stop());
    }

    private static double RunBenchmarkDotNet(CompiledProgram program, Receipt[] receipts)
    {
        ScoreBenchmark.Program = program;
        ScoreBenchmark.Receipts = receipts;
        var artifacts = Directory.CreateTempSubdirectory("loyalty-bench-bdn-").FullName;
        var config = ManualConfig.CreateMinimumViable()
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .WithArtifactsPath(artifacts)
            .WithOptions(ConfigOptions.DisableLogFile);
        var summary = BenchmarkRunner.Run<ScoreBenchmark>(config);
        var report = summary.Reports.FirstOrDefault() ?? throw new InvalidOperationException("BenchmarkDotNet produced no report.");
        var mean = report.ResultStatistics?.Mean ?? throw new InvalidOperationException($"BenchmarkDotNet produced no statistics; see {artifacts}.");
        AnsiConsole.MarkupLine($"[grey]BenchmarkDotNet artifacts in {Markup.Escape(artifacts)}[/]");
        return mean;
    }

    /// <summary>BenchmarkDotNet's view of the same loop: one invocation scores every receipt of the workload once.</summary>
    public class ScoreBenchmark
    {
        internal static CompiledProgram? Program;
        internal static Receipt[] Receipts = [];
        private readonly LineScore[] scores = new LineScore[8];

        [Benchmark(OperationsPerInvoke = DomainScenario.Receipts)]
        public long ScoreAll()
        {
            long sink = 0;
            var program = Program!;
            foreach (var receipt in Receipts) sink += ReceiptScorer.Score(program, receipt, scores).Points;
            return sink;
        }
    }
}
