using System.CommandLine;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using Loyalty.Bench.Infra;
using Loyalty.Bench.Scenarios;
using Loyalty.Core.Application.Jobs;
using Spectre.Console;

namespace Loyalty.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/Loyalty.Bench -- &lt;scenario&gt; [--scale tiny|full] [--azurite …] [--json …]</c>.
/// Exit codes: 0 done (targets may be missed: see the report), 1 the run failed, 2 a correctness check failed,
/// 3 a target was missed and --fail-on-miss was given.
/// </summary>
public static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        // A log is read in an editor or a CI page, not an 80-column terminal: keep the tables on one line per row.
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 200;

        var scale = new Option<ScaleName>("--scale") { Description = "tiny: seconds, for the CI smoke run (its numbers mean nothing); full: the " +
            "numbers for docs/benchmarks.md.", DefaultValueFactory = _ => ScaleName.Full, Recursive = true };
        var azurite = new Option<string?>("--azurite") { Description = "Connection string of a running Azurite to use (default: start a " +
            "private one on free loopback ports).", Recursive = true };
        var mode = new Option<AzuriteMode>("--azurite-mode")
        {
            Description = "The private Azurite's persistence: disk (default, a fresh temp folder), memory (--inMemoryPersistence), or split (each " +
                "service its own process: tables in memory, blobs and queues on disk).",
            DefaultValueFactory = _ => AzuriteMode.Disk, Recursive = true,
        };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the results as JSON to this file.", Recursive = true };
        var markdown = new Option<FileInfo?>("--markdown")
        {
            Description = "Also write the tables as Markdown to this file (for docs/benchmarks.md).", Recursive = true
        };
        var perMessage = new Option<int>("--receipts-per-message") { Description = "ingest: receipts per loyalty.receipt.v1 queue message.",
            DefaultValueFactory = _ => 10, Recursive = true };
        var failOnMiss = new Option<bool>("--fail-on-miss")
        {
            Description = "Exit 3 when a target is missed (default: report it and exit 0).", Recursive = true
        };
        var hostEnv = new Option<string[]>("--host-env") { Description = "lookup, ingest: NAME=VALUE environment variables for the local host (experiments, " +
            "e.g. DOTNET_gcServer=0); repeatable.", Recursive = true, AllowMultipleArgumentsPerToken = false };
        var httpOnly = new Option<bool>("--http-only") { Description = "ingest: only the HTTP path (quick experiments); the queue " +
            "path and its targets are skipped." };
        var bdn = new Option<bool>("--bdn") { Description = "domain: also run BenchmarkDotNet (in-process) on the scorer, as a " +
            "cross-check of the Stopwatch loop." };
        var members = new Option<int?>("--members") { Description = "nightly, fanout: members to load (default: 2,000 at tiny scale, 20,000 at full; why not " +
            "1,000,000: docs/benchmarks.md)." };
        var sizes = new Option<int[]>("--sizes") { Description = "nightly-mem, fanout-mem, million: member counts to run, one after another (default 10,000, " +
            "100,000 and 1,000,000 at full scale, 2,000 at tiny).", AllowMultipleArgumentsPerToken = true };
        var parallelism = new Option<int>("--parallelism") { Description = "nightly, fanout: shards worked on at once (JobRunOptions.Parallelism), " +
            "and the bound's shards at once.", DefaultValueFactory = _ => new JobRunOptions().Parallelism };

        var root = new RootCommand("Loyalty Functions benchmarks: every number next to a bound measured in the same run (docs/benchmarks.md).");
        foreach (var option in new Option[] { scale, azurite, mode, json, markdown, perMessage, failOnMiss, hostEnv }) root.Options.Add(option);

        Command Scenario(
            string name, string description, Func<ParseResult, BenchContext, CancellationToken, Task> run, bool needsAzurite = true, params Option[] options)
        {
            var command = new Command(name, description);
            foreach (var option in options) command.Options.Add(option);
            command.SetAction((parse, ct) => RunAsync(parse, [name], (context, token) => run(parse, context, token), needsAzurite));
            return command;
        }

        async Task<int> RunAsync(ParseResult parse, string[] names, Func<BenchContext, CancellationToken, Task> run, bool needsAzurite)
        {
            var scaleName = parse.GetValue(scale);
            var report = new Report(new RunInfo(
                DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
                Repository.Commit(),
                "Loyalty.Bench " + string.Join(' ', args),
                scaleName.ToString().ToLowerInvariant(),
                "",
                Environment.ProcessorCount,
                Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024 / 1024, 1),
                RuntimeInformation.OSDescription,
                RuntimeInformation.FrameworkDescription,
                GCSettings.IsServerGC ? "server" : "workstation"));
            report.Scenarios.AddRange(names);
            AnsiConsole.MarkupLine($"[bold]Loyalty.Bench[/] {Markup.Escape(string.Join(' ', args))}: {report.Info.Cores} cores, {report.Info.MemoryGiB} GiB, " +
                $"{Markup.Escape(report.Info.Runtime)}, commit {report.Info.Commit}");
            try
            {
                AzuriteServer? server = null;
                if (!needsAzurite)
                {
                }
                else if (parse.GetValue(azurite) is { Length: > 0 } given)
                {
                    server = await AzuriteServer.ConnectAsync(given);
                }
                else
                {
                    var persistence = parse.GetValue(mode);
                    server = await Ui.StatusAsync(
                        $"starting a private Azurite ({persistence.ToString().ToLowerInvariant()} mode)", () => AzuriteServer.StartAsync(persistence));
                }

                report.Info = report.Info with { Storage = server?.Description ?? "none (no storage in this scenario)" };
                var environment = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var pair in parse.GetValue(hostEnv) ?? [])
                {
                    var equals = pair.IndexOf('=', StringComparison.Ordinal);
                    if (equals <= 0) throw new ArgumentException($"--host-env takes NAME=VALUE, not '{pair}'.");
                    environment[pair[..equals]] = pair[(equals + 1)..];
                }

                await using var context = new BenchContext(Scale.Of(scaleName), report, server, parse.GetValue(perMessage), environment)
                {
                    HttpOnly = parse.GetResult(httpOnly) is not null && parse.GetValue(httpOnly),
                };
                if (server is not null)
                {
                    var pids = server.ProcessIds.Count > 0 ? $", pid {string.Join(", ", server.ProcessIds)}" : "";
                    AnsiConsole.MarkupLine($"[grey]{Markup.Escape(server.Description)}{pids}[/]");
                }
                using var cancel = new CancellationTokenSource();
                Console.CancelKeyPress += (_, e) =>
                {
                    e.Cancel = true;
                    cancel.Cancel();
                };
                await run(context, cancel.Token);
            }
            catch (Exception e)
            {
                AnsiConsole.MarkupLine("[red bold]The run failed:[/]");
                AnsiConsole.WriteException(e, ExceptionFormats.ShortenEverything);
                await WriteJsonAsync(parse, report);
                return 1;
            }

            Summary(report);
            await WriteJsonAsync(parse, report);
            if (!report.Correct) return 2;
            return parse.GetValue(failOnMiss) && report.Targets.Any(t => t.Verdict == "miss") ? 3 : 0;
        }

        root.Subcommands.Add(Scenario(StorageScenario.Name,
            "The raw bound: point read and upsert at c=1/8/32, 5-op and 100-op entity group transactions, full scan, queue send and receive + delete.",
                (_, context, ct) => StorageScenario.RunAsync(context, ct)));
        root.Subcommands.Add(Scenario(MemberStoreScenario.Name,
            "The Members table's hot paths through the product's stores (profile read, receipt, review index and profile shard scans): client CPU per unit.",
                (_, context, ct) => MemberStoreScenario.RunAsync(context, ct)));
        root.Subcommands.Add(Scenario(LookupScenario.Name,
            "Till identification by phone through the local host's HTTP API at c=1/8/32, against raw point reads ÷ reads per lookup.", (_, context, ct) =>
                LookupScenario.RunAsync(context, ct)));
        root.Subcommands.Add(Scenario(IngestScenario.Name,
            "Receipts through the local pipeline (HTTP and the receipts queue): receipts/s and receipt-to-points-visible latency, totals checked.",
                (_, context, ct) => IngestScenario.RunAsync(context, ct), true, httpOnly));
        root.Subcommands.Add(Scenario(DomainScenario.Name, "In-memory scoring of receipts (no I/O): receipts/s per core.", (parse, context, ct) =>
            DomainScenario.RunAsync(context, parse.GetValue(bdn), ct), needsAzurite: false, bdn));
        root.Subcommands.Add(Scenario(NightlyScenario.Name,
        "The nightly tier review of a calendar year's last night, every member due (bulk-loaded), against a raw scan + 100-row transactions of " +
            "as many rows; totals checked.",
            (parse, context, ct) => NightlyScenario.RunAsync(context, parse.GetValue(members), parse.GetValue(parallelism), ct), true, members, parallelism));
        root.Subcommands.Add(Scenario(FanOutScenario.Name,
        "A coupon campaign fanned out to a ≈21 % segment of bulk-loaded members by the campaign scheduler, against a raw scan + 100-row transactions of as " +
            "many rows as deliveries; deliveries checked.",
            (parse, context, ct) => FanOutScenario.RunAsync(context, parse.GetValue(members), parse.GetValue(parallelism), ct), true, members, parallelism));
        foreach (var (name, what) in new[] { (InMemoryJobsScenario.Nightly, "The nightly review"),
            (InMemoryJobsScenario.FanOut, "The ≈21 % coupon campaign fan-out") })
        {
            root.Subcommands.Add(Scenario(name, $"{what} on the in-memory ports at 10k, 100k and 1M members: CPU per member, the job's memory above the " +
                "store, counted requests per member; checked as on Azurite.",
                (parse, context, ct) => InMemoryJobsScenario.RunAsync(context, name, parse.GetValue(sizes), parse.GetValue(parallelism), ct),
                    needsAzurite: false, sizes, parallelism));
        }
        var million = new Command("million", "nightly-mem and fanout-mem in one run.");
        million.SetAction((parse, ct) => RunAsync(parse, [InMemoryJobsScenario.Nightly, InMemoryJobsScenario.FanOut], async (context, token) =>
        {
            await InMemoryJobsScenario.RunAsync(context, InMemoryJobsScenario.Nightly, parse.GetValue(sizes), parse.GetValue(parallelism), token);
            await InMemoryJobsScenario.RunAsync(context, InMemoryJobsScenario.FanOut, parse.GetValue(sizes), parse.GetValue(parallelism), token);
        }, needsAzurite: false));
        million.Options.Add(sizes);
        million.Options.Add(parallelism);
        root.Subcommands.Add(million);

        var all = new Command("all", "storage, lookup, ingest, domain, nightly and fanout in one run.");
        all.SetAction((parse, ct) => RunAsync(parse, ["storage", "lookup", "ingest", "domain", NightlyScenario.Name, FanOutScenario.Name],
            async (context, token) =>
        {
            await StorageScenario.RunAsync(context, token);
            await LookupScenario.RunAsync(context, token);
            await IngestScenario.RunAsync(context, token);
            await DomainScenario.RunAsync(context, false, token);
            await NightlyScenario.RunAsync(context, parse.GetValue(members), parse.GetValue(parallelism), token);
            await FanOutScenario.RunAsync(context, parse.GetValue(members), parse.GetValue(parallelism), token);
        }, needsAzurite: true));
        all.Options.Add(members);
        all.Options.Add(parallelism);
        root.Subcommands.Add(all);

        var results = new Option<FileInfo[]>("--results") { Description = "capacity: benchmark results files (--json) with the counted requests per " +
            "operation (default: every bench/capacity/results/*.json).", AllowMultipleArgumentsPerToken = true };
        var figures = new Option<FileInfo?>("--figures") { Description = "capacity: the limits and prices (default: bench/capacity/azure.json)." };
        var output = new Option<FileInfo?>("--out") { Description = "capacity: where to write (default: docs/capacity.md)." };
        var capacity = new Command("capacity", "Writes docs/capacity.md from the counted requests of bench/capacity/results/*.json and the limits and prices " +
            "of bench/capacity/azure.json.") { results, figures, output };
        capacity.SetAction(async (parse, ct) =>
        {
            var repository = Repository.Root();
            var files = parse.GetValue(results) is { Length: > 0 } given
                ? given.Select(f => f.FullName).ToList()
                : Capacity.CapacityReport.ResultsFiles(repository);
            var figuresPath = parse.GetValue(figures)?.FullName ?? Capacity.CapacityReport.FiguresFile(repository);
            var outPath = parse.GetValue(output)?.FullName ?? Path.Combine(repository, "docs", "capacity.md");
            var text = await Capacity.CapacityReport.RenderFilesAsync(repository, files, figuresPath);
            await File.WriteAllTextAsync(outPath, text, ct);
            AnsiConsole.MarkupLine($"[grey]{Markup.Escape(outPath)} written from {files.Count} results files and " +
                $"{Markup.Escape(Path.GetRelativePath(repository, figuresPath))}[/]");
            return 0;
        });
        root.Subcommands.Add(capacity);

        var from = new Argument<FileInfo>("results") { Description = "A results file written with --json." };
        var render = new Command("render", "Print the tables of a results file again (and with --markdown, write them as Markdown).") { from };
        render.SetAction(async (parse, ct) =>
        {
            var report = await Report.ReadJsonAsync(parse.GetValue(from)!.FullName);
            foreach (var scenario in report.Scenarios) report.Print(scenario);
            Summary(report);
            if (parse.GetValue(markdown) is { } tables)
            {
                await report.WriteMarkdownAsync(tables.FullName);
                AnsiConsole.MarkupLine($"[grey]tables written to {Markup.Escape(tables.FullName)}[/]");
            }

            return report.Correct ? 0 : 2;
        });
        root.Subcommands.Add(render);

        return await root.Parse(args).InvokeAsync();

        async Task WriteJsonAsync(ParseResult parse, Report report)
        {
            if (parse.GetValue(json) is { } file)
            {
                await report.WriteJsonAsync(file.FullName);
                AnsiConsole.MarkupLine($"[grey]results written to {Markup.Escape(file.FullName)}[/]");
            }

            if (parse.GetValue(markdown) is { } tables)
            {
                await report.WriteMarkdownAsync(tables.FullName);
                AnsiConsole.MarkupLine($"[grey]tables written to {Markup.Escape(tables.FullName)}[/]");
            }
        }
    }

    private static void Summary(Report report)
    {
        if (report.Targets.Count == 0 && report.Checks.Count == 0) return;
        Ui.Heading("summary");
        var table = new Table().Border(TableBorder.Rounded).AddColumns("scenario", "target", "measured", "verdict");
        foreach (var t in report.Targets)
        {
            var colour = t.Verdict switch { "pass" => "green", "miss" => "red", _ => "grey" };
            table.AddRow(t.Scenario, Markup.Escape(t.Target), Markup.Escape(t.Measured), $"[{colour}]{t.Verdict}[/]");
        }

        foreach (var c in report.Checks)
            table.AddRow(c.Scenario, Markup.Escape("correct: " + c.What), Markup.Escape(c.Detail), c.Passed ? "[green]pass[/]" : "[red bold]FAILED[/]");
        AnsiConsole.Write(table);
        if (report.Info.Scale == "tiny")
            AnsiConsole.MarkupLine("[grey]tiny scale: a smoke run; its rates and verdicts say nothing about performance.[/]");
    }
}
