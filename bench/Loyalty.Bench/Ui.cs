using Spectre.Console;

namespace Loyalty.Bench;

/// <summary>Progress bars for loading and measuring (Spectre.Console falls back to plain lines when output is not a terminal).</summary>
public static class Ui
{
    /// <param name="unit">What the progress counts ("members"): shows its rate per second beside the bar.</param>
    public static async Task<T> ProgressAsync<T>(string description, double total, Func<IProgress<double>, Task<T>> work, string? unit = null)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            // A log (CI, a redirected run): one line when it starts and one when it ends, no redrawn bars.
            AnsiConsole.MarkupLine($"[grey]→ {Markup.Escape(description)}[/]");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var value = await work(total > 1 ? new Steps(total, unit, clock) : new Progress<double>());
            AnsiConsole.MarkupLine($"[grey]  done in {clock.Elapsed.TotalSeconds:0.0} " +
                $"s{(unit is null ? "" : $" ({total / clock.Elapsed.TotalSeconds:N0} {Markup.Escape(unit)}/s)")}[/]");
            return value;
        }

        T result = default!;
        var columns = new List<ProgressColumn> { new TaskDescriptionColumn { Alignment = Justify.Left },
            new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn() };
        if (unit is not null) columns.Add(new RateColumn(unit));
        await AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns([.. columns])
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(description), maxValue: total);
                result = await work(new Reporter(task));
                task.Value = total;
            });
        return result;
    }

    /// <summary>A timed run: the bar shows the elapsed fraction (0 to 1).</summary>
    public static Task<T> TimedAsync<T>(string description, Func<IProgress<double>, Task<T>> work) => ProgressAsync(description, 1, work);

    public static async Task<T> StatusAsync<T>(string description, Func<Task<T>> work)
    {
        AnsiConsole.MarkupLine($"[grey]{Markup.Escape(description)}…[/]");
        return await work();
    }

    public static void Heading(string text) => AnsiConsole.Write(new Rule($"[bold]{Markup.Escape(text)}[/]").LeftJustified());

    /// <summary>For logs: a line at every tenth of the way.</summary>
    private sealed class Steps(double total, string? unit, System.Diagnostics.Stopwatch clock) : IProgress<double>
    {
        private int printed;

        public void Report(double value)
        {
            var tenth = (int)(value * 10 / total);
            var last = Volatile.Read(ref printed);
            if (tenth > last && tenth < 10 && Interlocked.CompareExchange(ref printed, tenth, last) == last)
                AnsiConsole.MarkupLine($"[grey]  {tenth * 10}% ({value:N0} of {total:N0}) at " +
                    $"{DateTime.Now:HH:mm:ss}{(unit is null ? "" : $", {value / clock.Elapsed.TotalSeconds:N0} {Markup.Escape(unit)}/s so far")}[/]");
        }
    }

    private sealed class RateColumn(string unit) : ProgressColumn
    {
        protected override bool NoWrap => true;

        public override Spectre.Console.Rendering.IRenderable Render(Spectre.Console.Rendering.RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.Speed is { } speed ? $"{speed:N0} {unit}/s" : "", new Style(Color.Grey));
    }

    private sealed class Reporter(ProgressTask task) : IProgress<double>
    {
        public void Report(double value) => task.Value = value;
    }
}
