using System.CommandLine;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Campaigns;
using Loyalty.Core.Application.Jobs;
using Microsoft.Extensions.DependencyInjection;
using static Loyalty.Cli.Failure;

namespace Loyalty.Cli;

/// <summary>
/// <c>loyalty nightly run|progress</c> and <c>loyalty campaign run|progress</c>: an operator acting on jobs with storage
/// access. A run goes in this process, as the local host's workers run due ones; beside a host running the same run it
/// is safe and the counts stay exact. Ctrl+C stops it after the chunk in flight; running it again resumes.
/// </summary>
internal static class JobCommands
{
    public static IEnumerable<Command> Create(Func<ParseResult, IServiceProvider> backend)
    {
        var program = new Option<string>("--program") { Description = "The program.", Required = true, Recursive = true };
        var date = new Option<string>("--date") { Description = "The night to review, yyyy-MM-dd (e.g. 2027-01-01: the night a calendar year's windows close).",
            Required = true, Recursive = true };
        var ahead = new Option<bool>("--ahead") { Description = "Allow a date after today, to try a coming night on demo or test data (it expires " +
            "points and closes windows early)." };

        var runNight = new Command("run", "Run (or resume) the nightly review of a date now; a night already complete is left as it is.") { ahead };
        runNight.SetAction((parse, ct) => InProgramAsync(parse, async (services, inProgram) =>
        {
            var nightly = services.GetRequiredService<NightlyReview>();
            var request = await nightly.RequestAsync(inProgram, parse.GetValue(date), parse.GetValue(ahead), ct);
            if (!request.IsValid) return Fail(request.Errors);
            if (request.Value.Progress.Complete)
            {
                Console.WriteLine($"The review of {parse.GetValue(date)} is complete already; nothing was changed.");
                return Print(request.Value.Progress);
            }
            var run = request.Value.Run;
            var report = await nightly.RunAsync(run.ProgramId, run.Date, report: Shards(), cancellationToken: ct);
            Console.WriteLine($"Done in {report.Elapsed.TotalSeconds:F1} s; this run: {report.ThisRun}.");
            return Print((await nightly.ProgressAsync(inProgram, parse.GetValue(date), ct)).Value);
        }, ct));
        var nightProgress = new Command("progress", "Show the progress of a night's review per shard.");
        nightProgress.SetAction((parse, ct) => InProgramAsync(parse, async (services, inProgram) =>
        {
            var progress = await services.GetRequiredService<NightlyReview>().ProgressAsync(inProgram, parse.GetValue(date), ct);
            return progress.IsValid ? Print(progress.Value) : Fail(progress.Errors);
        }, ct));

        var campaignId = new Option<string>("--campaign") { Description = "The campaign id.", Required = true, Recursive = true };
        var runId = new Option<string>("--run") { Description = "The run id (e.g. 20271201T0800; listed by GET /campaigns/{id}).", Required = true };
        var runCampaign = new Command("run", "Run a scheduled campaign's next occurrence now (or resume the run in progress).");
        runCampaign.SetAction((parse, ct) => InProgramAsync(parse, async (services, inProgram) =>
        {
            var scheduler = services.GetRequiredService<CampaignScheduler>();
            var started = await scheduler.StartNowAsync(inProgram, parse.GetValue(campaignId), ct);
            if (!started.IsValid) return Fail(started.Errors);
            Console.WriteLine($"Run {started.Value.RunId} of campaign {started.Value.CampaignId}:");
            var report = await scheduler.FanOut.RunAsync(started.Value, report: Shards(), cancellationToken: ct);
            Console.WriteLine($"Done in {report.Elapsed.TotalSeconds:F1} s; this run: {report.ThisRun}.");
            return Print((await scheduler.FanOut.ProgressAsync(inProgram, started.Value.CampaignId, started.Value.RunId, ct)).Value);
        }, ct));
        var campaignProgress = new Command("progress", "Show the progress of a campaign run per shard.") { runId };
        campaignProgress.SetAction((parse, ct) => InProgramAsync(parse, async (services, inProgram) =>
        {
            var progress = await services.GetRequiredService<CampaignScheduler>().FanOut.ProgressAsync(inProgram,
                parse.GetValue(campaignId), parse.GetValue(runId), ct);
            return progress.IsValid ? Print(progress.Value) : Fail(progress.Errors);
        }, ct));

        Task<int> InProgramAsync(ParseResult parse, Func<IServiceProvider, LoadedProgram, Task<int>> action, CancellationToken ct)
        {
            var services = backend(parse);
            return CommandProgram.InProgramAsync(services, parse.GetValue(program)!, inProgram => action(services, inProgram), ct);
        }

        return
        [
            new Command("nightly", "The nightly tier review.") { program, date, runNight, nightProgress },
            new Command("campaign", "Campaign runs.") { program, campaignId, runCampaign, campaignProgress },
        ];
    }

    private static Progress<JobStatus> Shards() =>
        new(status => { if (status.Shard is { } shard) Console.WriteLine($"  shard {shard,4} done ({status.ShardsDone}/{status.Shards})"); });

    private static int Print(JobProgressView progress)
    {
        Console.WriteLine($"{progress.Job} {progress.Run}: {(progress.Complete ? "complete" : "not complete")}, " +
            $"{progress.ShardsDone}/{progress.Shards} shards done");
        foreach (var shard in progress.ShardList)
            Console.WriteLine($"  shard {shard.Shard,4} {(shard.Finished ? "finished" : "running ")} {shard.UpdatedAt:u}  {shard.Counts}");
        Console.WriteLine($"  total: {progress.Counts}");
        return 0;
    }
}
