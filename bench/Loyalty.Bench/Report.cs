using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Loyalty.Bench.Infra;
using Spectre.Console;

namespace Loyalty.Bench;

/// <summary>One number: a rate (or time), with its latency, the bound it is compared to, and what the machine was doing.</summary>
public sealed record Measurement
{
    public required string Scenario { get; init; }
    public required string Name { get; init; }
    public int? Concurrency { get; init; }
    public required double Value { get; init; }
    public required string Unit { get; init; }
    public LatencyStats? LatencyMs { get; init; }
    public double? Bound { get; init; }

    /// <summary>How the bound was computed, e.g. "2,310 point reads/s ÷ 2 reads per lookup".</summary>
    public string? BoundBasis { get; init; }

    public double? Ratio => Bound is > 0 ? Value / Bound : null;
    public long Operations { get; init; }
    public double Seconds { get; init; }
    public CpuUse? Cpu { get; init; }
    public long Errors { get; init; }
    public string? Note { get; init; }
}

/// <summary>A performance target (docs/benchmarks.md), checked against this run.</summary>
public sealed record TargetCheck(string Scenario, string Target, string Measured, string Verdict);

/// <summary>A correctness check (totals): a failed one makes the run exit non-zero.</summary>
public sealed record CorrectnessCheck(string Scenario, string What, bool Passed, string Detail);

/// <summary>Storage requests of one kind per unit of an operation (a receipt, a lookup, a member reviewed, a delivery), counted: what docs/capacity.md is
/// computed from.</summary>
public sealed record RequestRate(string Scenario, string Operation, string Kind, double PerUnit);

/// <summary>Facts about a scenario that explain its numbers (request counts per operation, table sizes, settings).</summary>
public sealed record Detail(string Scenario, string Name, string Value);

public sealed record RunInfo(
    string Date, string Commit, string Command, string Scale, string Storage, int Cores, double MemoryGiB, string Os, string Runtime, string Gc);

/// <summary>Everything a run measured: printed as tables as it goes, written as JSON at the end.</summary>
public sealed class Report(RunInfo info)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public RunInfo Info { get; set; } = info;
    public List<Measurement> Measurements { get; } = [];
    public List<TargetCheck> Targets { get; } = [];
    public List<CorrectnessCheck> Checks { get; } = [];
    public List<Detail> Details { get; } = [];
    public List<RequestRate> Requests { get; } = [];
    public List<string> Scenarios { get; } = [];

    public bool Correct => Checks.All(c => c.Passed);

    public Measurement Add(Measurement measurement)
    {
        lock (Measurements) Measurements.Add(measurement);
        return measurement;
    }

    public void Target(string scenario, string target, string measured, bool? passed) =>
        Targets.Add(new TargetCheck(scenario, target, measured, passed switch { true => "pass", false => "miss", null => "n/a" }));

    public void Check(string scenario, string what, bool passed, string detail)
    {
        Checks.Add(new CorrectnessCheck(scenario, what, passed, detail));
        AnsiConsole.MarkupLine(passed
            ? $"[green]check passed[/]: {Markup.Escape(what)}: {Markup.Escape(detail)}"
            : $"[red bold]CHECK FAILED[/]: {Markup.Escape(what)}: {Markup.Escape(detail)}");
    }

    public void Detail(string scenario, string name, string value) => Details.Add(new Detail(scenario, name, value));

    /// <summary>Kinds beside the requests: entities written in table transactions, entities read (where counted).</summary>
    public const string TransactionEntities = "entities in table transactions";
    public const string EntitiesRead = "table entities read";

    /// <summary>Records the requests counted for <paramref name="units"/> of an operation, kind by kind, and the entities its transactions wrote and, where
    /// known, it read.</summary>
    public void Rates(
        string scenario, string operation, IReadOnlyDictionary<string, long> counts, double units, long transactionEntities, long? entitiesRead = null)
    {
        foreach (var (kind, count) in counts) Requests.Add(new RequestRate(scenario, operation, kind, count / units));
        Requests.Add(new RequestRate(scenario, operation, TransactionEntities, transactionEntities / units));
        if (entitiesRead is { } read) Requests.Add(new RequestRate(scenario, operation, EntitiesRead, read / units));
    }

    /// <summary>The table of one scenario, its details and its targets.</summary>
    public void Print(string scenario)
    {
        var rows = Measurements.Where(m => m.Scenario == scenario).ToList();
        if (rows.Count > 0)
        {
            var table = new Table().Title($"[bold]{scenario}[/]").Border(TableBorder.Rounded);
            table.AddColumn("measurement");
            table.AddColumn(new TableColumn("c").RightAligned());
            table.AddColumn(new TableColumn("result").RightAligned());
            table.AddColumn(new TableColumn("p50 / p95 / p99 ms").RightAligned());
            table.AddColumn(new TableColumn("bound").RightAligned());
            table.AddColumn(new TableColumn("ratio").RightAligned());
            table.AddColumn("CPU cores: azurite / host / bench / other");
            table.AddColumn(new TableColumn("CPU ms per unit: azurite / host / bench").RightAligned());
            foreach (var m in rows)
            {
                table.AddRow(
                    Markup.Escape(m.Name + (m.Errors > 0 ? $" ({m.Errors} errors)" : "")),
                    m.Concurrency?.ToString(CultureInfo.InvariantCulture) ?? "",
                    Markup.Escape($"{Number(m.Value)} {m.Unit}"),
                    m.LatencyMs is { Samples: > 0 } l ? $"{Ms(l.P50)} / {Ms(l.P95)} / {Ms(l.P99)}" : "",
                    Markup.Escape(m.Bound is { } b ? $"{Number(b)}" : ""),
                    m.Ratio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) : "",
                    m.Cpu is { } c ? string.Create(CultureInfo.InvariantCulture, $"{c.Azurite:0.00} / {c.Host:0.00} / {c.Bench:0.00} / {c.Other:0.00}") : "",
                    m.Cpu is { } u && m.Value > 0 ? string.Create(CultureInfo.InvariantCulture,
                        $"{PerUnit(u.Azurite, m.Value)} / {PerUnit(u.Host, m.Value)} / {PerUnit(u.Bench, m.Value)}") : "");
            }

            AnsiConsole.Write(table);
            foreach (var m in rows.Where(m => m.BoundBasis is not null || m.Note is not null))
            {
                var notes = string.Join("; ", new[] { m.BoundBasis is null ? null : "bound = " + m.BoundBasis, m.Note }.Where(s => s is not null));
                AnsiConsole.MarkupLine($"  [grey]{Markup.Escape(m.Name)}{(m.Concurrency is { } c ? $" c={c}" : "")}: {Markup.Escape(notes)}[/]");
            }
        }

        foreach (var detail in Details.Where(d => d.Scenario == scenario))
            AnsiConsole.MarkupLine($"  [grey]{Markup.Escape(detail.Name)}: {Markup.Escape(detail.Value)}[/]");

        var targets = Targets.Where(t => t.Scenario == scenario).ToList();
        if (targets.Count > 0)
        {
            var table = new Table().Border(TableBorder.Simple).AddColumns("target", "measured", "verdict");
            foreach (var t in targets)
            {
                var colour = t.Verdict switch { "pass" => "green", "miss" => "red", _ => "grey" };
                table.AddRow(Markup.Escape(t.Target), Markup.Escape(t.Measured), $"[{colour}]{t.Verdict}[/]");
            }

            AnsiConsole.Write(table);
        }

        AnsiConsole.WriteLine();
    }

    /// <summary>A report written by <see cref="WriteJsonAsync"/>, to render its tables again.</summary>
    public static async Task<Report> ReadJsonAsync(string path)
    {
        await using var file = File.OpenRead(path);
        var document = await JsonSerializer.DeserializeAsync<Saved>(file, Json) ?? throw new InvalidDataException($"{path} is empty.");
        var report = new Report(document.Info);
        report.Scenarios.AddRange(document.Scenarios);
        report.Measurements.AddRange(document.Measurements);
        report.Targets.AddRange(document.Targets);
        report.Checks.AddRange(document.Checks);
        report.Details.AddRange(document.Details);
        report.Requests.AddRange(document.Requests ?? []);
        return report;
    }

    private sealed record Saved(RunInfo Info, List<string> Scenarios, List<Measurement> Measurements, List<TargetCheck> Targets, List<CorrectnessCheck> Checks,
        List<Detail> Details, List<RequestRate>? Requests);

    public async Task WriteJsonAsync(string path)
    {
        var document = new
        {
            Info,
            Scenarios,
            Measurements,
            Targets,
            Checks,
            Details,
            Requests,
            Correct,
        };
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, document, Json);
    }

    /// <summary>The same tables in Markdown, for docs/benchmarks.md.</summary>
    public async Task WriteMarkdownAsync(string path)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Run: {Info.Date}, commit `{Info.Commit}`, `{Info.Command}`, scale {Info.Scale}; {Info.Cores} cores, {Info.MemoryGiB} GiB, {Info.Os}, " +
                $"{Info.Runtime} ({Info.Gc} GC); storage: {Info.Storage}.");
        text.AppendLine();
        foreach (var scenario in Scenarios)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"#### {scenario}");
            text.AppendLine();
            var rows = Measurements.Where(m => m.Scenario == scenario).ToList();
            if (rows.Count > 0)
            {
                text.AppendLine("| measurement | c | result | p50 / p95 / p99 ms | bound | ratio | CPU cores: azurite / host / bench / other | CPU ms per " +
                    "unit: azurite / host / bench |");
                text.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|");
                foreach (var m in rows)
                {
                    text.AppendLine(CultureInfo.InvariantCulture,
                        $"| {m.Name}{(m.Errors > 0 ? $" ({m.Errors} errors)" : "")} | {m.Concurrency} | {Number(m.Value)} {m.Unit} | " +
                        $"{(m.LatencyMs is { Samples: > 0 } l ? $"{Ms(l.P50)} / {Ms(l.P95)} / {Ms(l.P99)}" : "")} | {(m.Bound is { } b ? Number(b) : "")} | " +
                        $"{(m.Ratio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) : "")} | " +
                        $"{(m.Cpu is { } c ? string.Create(CultureInfo.InvariantCulture,
                            $"{c.Azurite:0.00} / {c.Host:0.00} / {c.Bench:0.00} / {c.Other:0.00}") : "")} | " +
                        $"{(m.Cpu is { } u && m.Value > 0
                            ? $"{PerUnit(u.Azurite, m.Value)} / {PerUnit(u.Host, m.Value)} / {PerUnit(u.Bench, m.Value)}" : "")} |");
                }

                text.AppendLine();
                foreach (var m in rows.Where(m => m.BoundBasis is not null || m.Note is not null))
                    text.AppendLine(CultureInfo.InvariantCulture,
                        $"- *{m.Name}{(m.Concurrency is { } c ? $" c={c}" : "")}*: " +
                            $"{string.Join("; ", new[] { m.BoundBasis is null ? null : "bound = " + m.BoundBasis, m.Note }.Where(x => x is not null))}");
            }

            foreach (var detail in Details.Where(d => d.Scenario == scenario))
                text.AppendLine(CultureInfo.InvariantCulture, $"- {detail.Name}: {detail.Value}");
            text.AppendLine();
            var targets = Targets.Where(t => t.Scenario == scenario).ToList();
            var checks = Checks.Where(c => c.Scenario == scenario).ToList();
            if (targets.Count + checks.Count > 0)
            {
                text.AppendLine("| target or check | measured | verdict |");
                text.AppendLine("|---|---|---|");
                foreach (var t in targets) text.AppendLine(CultureInfo.InvariantCulture, $"| {t.Target} | {t.Measured} | **{t.Verdict}** |");
                foreach (var c in checks) text.AppendLine(CultureInfo.InvariantCulture,
                    $"| correct: {c.What} | {c.Detail} | **{(c.Passed ? "pass" : "FAILED")}** |");
                text.AppendLine();
            }
        }

        await File.WriteAllTextAsync(path, text.ToString().Replace("|  |", "| |", StringComparison.Ordinal));
    }

    public static string Number(double value) =>
        value switch
        {
            double.NaN => "-",
            >= 100 => value.ToString("N0", CultureInfo.InvariantCulture),
            >= 10 => value.ToString("N1", CultureInfo.InvariantCulture),
            _ => value.ToString("0.00", CultureInfo.InvariantCulture),
        };

    /// <summary>CPU milliseconds per unit of the result (per read, per receipt…): cores ÷ units per second.</summary>
    public static string PerUnit(double cores, double perSecond) => (cores * 1000 / perSecond).ToString("0.000", CultureInfo.InvariantCulture);

    private static string Ms(double value) => double.IsNaN(value) ? "-" : value < 10
        ? value.ToString("0.00", CultureInfo.InvariantCulture) : value.ToString("0", CultureInfo.InvariantCulture);
}
