using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Campaigns;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Application.Campaigns;

/// <summary>
/// Activates campaigns at their time without anyone pressing a button: what a host's timer calls. Finds the runs that
/// are due (a scheduled campaign's next occurrence whose time has come, within its grace), marks each started on the
/// campaign, and hands it to <see cref="CampaignFanOut"/>. A run marked started but not finished (its host stopped) is
/// offered again, so the fan-out resumes.
/// </summary>
public sealed class CampaignScheduler
{
    private readonly IProgramStore programStore;
    private readonly ProgramCache programs;
    private readonly ICampaignStore campaigns;
    private readonly TimeProvider time;

    /// <param name="fanOut">Makes the fan-out, which asks this scheduler for the runs it starts.</param>
    public CampaignScheduler(IProgramStore programStore, ProgramCache programs, ICampaignStore campaigns, Func<CampaignScheduler,
        CampaignFanOut> fanOut, TimeProvider time)
    {
        this.programStore = programStore;
        this.programs = programs;
        this.campaigns = campaigns;
        this.time = time;
        FanOut = fanOut(this);
    }

    public CampaignFanOut FanOut { get; }

    /// <summary>The runs to start or resume now: at most one per campaign (a missed occurrence runs after the one before it).</summary>
    public async Task<IReadOnlyList<CampaignRun>> DueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = new List<CampaignRun>();
        foreach (var programId in await programStore.ListIdsAsync(cancellationToken))
        {
            if (await programs.GetAsync(programId, cancellationToken) is not { } program) continue;
            var zone = program.InForceAt(now).TimeZone;
            foreach (var (campaign, _) in await campaigns.ListAsync(programId, cancellationToken))
            {
                var runId = campaign.Status == CampaignStatus.Running ? campaign.CurrentRunId : campaign.DueRuns(zone, now).FirstOrDefault()?.RunId;
                if (runId is not null) due.Add(new CampaignRun(programId, campaign.CampaignId, runId));
            }
        }
        return due;
    }

    /// <summary>Marks the run started on its campaign; true when it is (now or already) the campaign's running run.</summary>
    public async Task<bool> StartAsync(CampaignRun run, CancellationToken cancellationToken)
    {
        if (await programs.GetAsync(run.ProgramId, cancellationToken) is not { } program) return false;
        for (var attempt = 0; attempt < Concurrency.MaxAttempts; attempt++)
        {
            if (await campaigns.GetAsync(run.ProgramId, run.CampaignId, cancellationToken) is not { } stored) return false;
            var now = time.GetUtcNow();
            var started = stored.Value.Start(run.RunId, program.InForceAt(now).TimeZone, now);
            if (!started.IsValid) return false;
            if (started.Value == stored.Value || await campaigns.ReplaceAsync(run.ProgramId, started.Value, stored.Version, cancellationToken))
                return true;
        }
        return false;
    }

    /// <summary>
    /// An operator's "run now" (<see cref="Campaign.StartNow"/>): marks the next occurrence started, or finds the run
    /// already running, and returns it for the host to fan out. The campaign's progress tells whether it has.
    /// </summary>
    public async Task<Result<CampaignRun>> StartNowAsync(LoadedProgram program, string? campaignId, CancellationToken cancellationToken)
    {
        if (CampaignService.IdErrors(campaignId, "campaignId") is { Count: > 0 } mistakes) return Result<CampaignRun>.Fail(mistakes);
        var programId = program.Settings.ProgramId;
        for (var attempt = 0; attempt < Concurrency.MaxAttempts; attempt++)
        {
            if (await campaigns.GetAsync(programId, campaignId!, cancellationToken) is not { } stored)
                return CampaignService.CampaignNotFound<CampaignRun>(campaignId!);
            var now = time.GetUtcNow();
            var started = stored.Value.StartNow(program.InForceAt(now).TimeZone, now);
            if (!started.IsValid) return Result<CampaignRun>.Fail(started.Errors);
            if (started.Value == stored.Value || await campaigns.ReplaceAsync(programId, started.Value, stored.Version, cancellationToken))
                return new CampaignRun(programId, campaignId!, started.Value.CurrentRunId!);
        }
        return Result<CampaignRun>.Fail(ApplicationErrors.Busy, "campaignId", $"Campaign '{campaignId}' kept changing; try again.");
    }

    /// <summary>What the local host's background service calls on a timer: start and run every due run in this process.</summary>
    public Task<IReadOnlyList<JobReport>> RunDueAsync(JobRunOptions? options = null, IProgress<JobStatus>? report = null,
        CancellationToken cancellationToken = default) =>
        FanOut.RunDueAsync(options, report, cancellationToken);
}
