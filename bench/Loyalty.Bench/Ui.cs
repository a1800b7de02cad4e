using Spectre.Console;

namespace Loyalty.Bench;

/// <summary>Progress bars for loading and measuring (Spectre.Console falls back to plain lines when output is not a terminal).</summary>
public static class Ui
{
    public static async Task<T> ProgressAsync<T>(string description, double total, Func<IProgress<double>, Task<T>> work)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            // A log (CI, a redirected run): one line when it starts and one when it ends, no redrawn bars.
            AnsiConsole.MarkupLine($"[grey]→ {Markup.Escape(description)}[/]");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var value = await work(total > 1 ? new Steps(total) : new Progress<double>()).ConfigureAwait(false);
            AnsiConsole.MarkupLine($"[grey]  done in {clock.Elapsed.TotalSeconds:0.0} s[/]");
            return value;
        }

        T result = default!;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(description), maxValue: total);
                result = await work(new Reporter(task)).ConfigureAwait(false);
                task.Value = total;
            }).ConfigureAwait(false);
        return result;
    }

    /// <summary>A timed run: the bar shows the elapsed fraction (0 to 1).</summary>
    public static Task<T> TimedAsync<T>(string description, Func<IProgress<double>, Task<T>> work) => ProgressAsync(description, 1, work);

    public static async Task<T> StatusAsync<T>(string description, Func<Task<T>> work)
    {
        AnsiConsole.MarkupLine($"[grey]{Markup.Escape(description)}…[/]");
        return await work().ConfigureAwait(false);
    }

    public static void Heading(string text) => AnsiConsole.Write(new Rule($"[bold]{Markup.Escape(text)}[/]").LeftJustified());

    /// <summary>For logs: a line at every tenth of the way.</summary>
    private sealed class Steps(double total) : IProgress<double>
    {
        private int printed;

        public void Report(double value)
        {
            var tenth = (int)(value * 10 / total);
            var last = Volatile.Read(ref printed);
            if (tenth > last && tenth < 10 && Interlocked.CompareExchange(ref printed, tenth, last) == last)
                AnsiConsole.MarkupLine($"[grey]  {tenth * 10}% ({value:N0} of {total:N0}) at {DateTime.Now:HH:mm:ss}[/]");
        }
    }

    private sealed class Reporter(ProgressTask task) : IProgress<double>
    {
        public void Report(double value) => task.Value = value;
    }
}
