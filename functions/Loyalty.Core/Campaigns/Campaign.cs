using System.Text.Json.Serialization;
using Loyalty.Core.Programs;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Campaigns;

/// <summary>
/// A campaign and where it is in its life: draft → scheduled → running → completed, with running → scheduled
/// between the occurrences of a recurring schedule, and cancelled reachable from every state but completed.
/// Transitions are pure and return a new value, or a <c>campaign.*</c> error; each also takes the instant so a
/// retried call decides the same way.
/// </summary>
/// <remarks>
/// Runs happen one at a time, in schedule order. An occurrence that came while the scheduler was down or while the
/// previous run was still going starts late, at most once, unless it is older than <see cref="CampaignDefinition.GraceHours"/>:
/// then it is skipped for good. Occurrences before <see cref="ScheduledAt"/> never run.
/// </remarks>
public sealed record Campaign
{
    public required CampaignDefinition Definition { get; init; }
    public CampaignStatus Status { get; init; }

    /// <summary>When it was scheduled: only occurrences after this instant run.</summary>
    public DateTimeOffset? ScheduledAt { get; init; }

    public DateTimeOffset? ChangedAt { get; init; }
    public int RunsStarted { get; init; }
    public int RunsCompleted { get; init; }

    /// <summary>The latest run started, and its scheduled instant: later occurrences are the ones still to come.</summary>
    public string? LastRunId { get; init; }

    public DateTimeOffset? LastRunAt { get; init; }

    /// <summary>The run in progress; kept after a cancel to show which run was stopped.</summary>
    public string? CurrentRunId { get; init; }

    [JsonIgnore]
    public string CampaignId => Definition.CampaignId;

    /// <summary>A draft of a valid definition.</summary>
    public static Result<Campaign> Create(CampaignDefinition definition, CompiledProgram? program = null)
    {
        var errors = CampaignValidator.Validate(definition, program);
        return errors.Count > 0 ? Result<Campaign>.Fail(errors) : new Campaign { Definition = definition };
    }

    /// <summary>Draft → scheduled; refused if no occurrence is left after <paramref name="now"/>.</summary>
    public Result<Campaign> Schedule(TimeZoneInfo zone, DateTimeOffset now)
    {
        if (Status != CampaignStatus.Draft) return Invalid("schedule");
        if (Definition.Schedule.NextAfter(zone, now) is null)
            return Result<Campaign>.Fail(ErrorCodes.CampaignNothingToSchedule, "schedule", "The schedule has no occurrence after now; nothing would ever run.");
        return this with { Status = CampaignStatus.Scheduled, ScheduledAt = now, ChangedAt = now };
    }

    /// <summary>
    /// The occurrences to start now, oldest first: after the last run (or the scheduling), not in the future, and
    /// younger than the grace. Empty unless scheduled: a running campaign's next run waits for this one to finish.
    /// </summary>
    public IReadOnlyList<ScheduledRun> DueRuns(TimeZoneInfo zone, DateTimeOffset now) =>
        Status == CampaignStatus.Scheduled ? [.. Definition.Schedule.Occurrences(zone, DueAfter(now), now)] : [];

    /// <summary>When the next occurrence after <paramref name="now"/> falls due: when a scheduler should look again. Null when none is left.</summary>
    public DateTimeOffset? NextRunAt(TimeZoneInfo zone, DateTimeOffset now) =>
        Status is CampaignStatus.Scheduled or CampaignStatus.Running
            ? Definition.Schedule.NextAfter(zone, Latest(now, Since))?.At
            : null;

    /// <summary>Whether any occurrence is still to run: due now or in the future.</summary>
    public bool HasRunsLeft(TimeZoneInfo zone, DateTimeOffset now) => Definition.Schedule.NextAfter(zone, DueAfter(now)) is not null;

    /// <summary>
    /// Scheduled → running for a due occurrence. Starting the run that is already running returns the campaign
    /// unchanged, so a retried start is harmless.
    /// </summary>
    public Result<Campaign> Start(string runId, TimeZoneInfo zone, DateTimeOffset now)
    {
        if (Status == CampaignStatus.Running && CurrentRunId == runId) return this;
        if (Status != CampaignStatus.Scheduled) return Invalid("start");
        var run = DueRuns(zone, now).FirstOrDefault(r => r.RunId == runId);
        if (run is null)
            return Result<Campaign>.Fail(ErrorCodes.CampaignRunNotDue, "runId",
                $"Run '{runId}' is not due: it is in the future, already started, older than the {Definition.GraceHours} h grace, or not " +
                    "an occurrence of the schedule.");
        return Started(run, now);
    }

    /// <summary>
    /// An operator's "run now": scheduled → running for the first occurrence not yet run, due or still to come (it then
    /// counts as that occurrence, which will not run again at its time). A running campaign is returned unchanged, so
    /// its current run is the one to resume.
    /// </summary>
    public Result<Campaign> StartNow(TimeZoneInfo zone, DateTimeOffset now)
    {
        if (Status == CampaignStatus.Running) return this;
        if (Status != CampaignStatus.Scheduled) return Invalid("run");
        return Definition.Schedule.NextAfter(zone, DueAfter(now)) is { } next
            ? Started(next, now)
            : Result<Campaign>.Fail(ErrorCodes.CampaignNothingToRun, "schedule", "No occurrence of the schedule is left to run.");
    }

    private Campaign Started(ScheduledRun run, DateTimeOffset now) =>
        this with
        {
            Status = CampaignStatus.Running,
            CurrentRunId = run.RunId,
            LastRunId = run.RunId,
            LastRunAt = run.At,
            RunsStarted = RunsStarted + 1,
            ChangedAt = now,
        };

    /// <summary>
    /// Running → scheduled when occurrences are left, else completed. Finishing the run that last finished returns
    /// the campaign unchanged.
    /// </summary>
    public Result<Campaign> Finish(string runId, TimeZoneInfo zone, DateTimeOffset now)
    {
        if (Status != CampaignStatus.Running && CurrentRunId is null && LastRunId == runId) return this;
        if (Status != CampaignStatus.Running) return Invalid("finish");
        if (CurrentRunId != runId)
            return Result<Campaign>.Fail(ErrorCodes.CampaignRunMismatch, "runId", $"Run '{CurrentRunId}' is running, not '{runId}'.");
        var finished = this with { CurrentRunId = null, RunsCompleted = RunsCompleted + 1, ChangedAt = now };
        return finished with { Status = finished.HasRunsLeft(zone, now) ? CampaignStatus.Scheduled : CampaignStatus.Completed };
    }

    /// <summary>Scheduled → completed when every occurrence left was missed beyond the grace (a long outage at the end of a schedule).</summary>
    public Result<Campaign> Complete(TimeZoneInfo zone, DateTimeOffset now)
    {
        if (Status != CampaignStatus.Scheduled) return Invalid("complete");
        if (HasRunsLeft(zone, now))
            return Result<Campaign>.Fail(ErrorCodes.CampaignRunsRemaining, "", "Occurrences are still to run; cancel the campaign to stop it.");
        return this with { Status = CampaignStatus.Completed, ChangedAt = now };
    }

    /// <summary>Stops the campaign for good; a running fan-out must check the status and stop delivering. Cancelling twice is harmless.</summary>
    public Result<Campaign> Cancel(DateTimeOffset now) => Status switch
    {
        CampaignStatus.Cancelled => this,
        CampaignStatus.Completed => Invalid("cancel"),
        _ => this with { Status = CampaignStatus.Cancelled, ChangedAt = now },
    };

    private DateTimeOffset Since => LastRunAt ?? ScheduledAt ?? DateTimeOffset.MinValue;

    private DateTimeOffset DueAfter(DateTimeOffset now) => Latest(Since, now.AddHours(-Definition.GraceHours));

    private static DateTimeOffset Latest(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private Result<Campaign> Invalid(string action) =>
        Result<Campaign>.Fail(ErrorCodes.CampaignInvalidTransition, "status", $"A {Status.ToString().ToLowerInvariant()} campaign cannot {action}.");
}

public enum CampaignStatus
{
    Draft,
    Scheduled,
    Running,
    Completed,
    Cancelled,
}
