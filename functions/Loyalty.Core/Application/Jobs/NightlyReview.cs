using System.Globalization;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Events;
using Loyalty.Core.Ledger;
using Loyalty.Core.Members;
using Loyalty.Core.Programs;
using Loyalty.Core.Statistics;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Application.Jobs;

/// <summary>
/// The nightly tier evaluation as a <see cref="ShardedJob"/>: a shard activity reviews only the members the shard's
/// review index files as due (<see cref="MemberReview.ReviewAt"/>), writes each back filed under its next review date,
/// and then counts the shard's <see cref="ShardFigures"/>. Exactly once per member without per-member bookkeeping: a
/// review is idempotent by date (the state's <c>ReviewedOn</c>), and a member leaves the index range only in the write
/// that stores its review, so a crash or a replayed activity finds the members not yet written still due and the others
/// gone. The steps and their costs: docs/architecture.md, 'The nightly review reads an index, not the members'.
/// </summary>
public sealed class NightlyReview : ShardedJob
{
    public const string JobName = "nightly-review";

    private readonly IProgramStore programStore;
    private readonly ProgramCache programs;
    private readonly IMemberStore members;
    private readonly IReviewStore reviews;
    private readonly MemberBatches batches;
    private readonly IFiguresStore figures;

    public NightlyReview(
        IProgramStore programStore, ProgramCache programs, IMemberStore members, IMemberOutbox outbox, IReviewStore reviews, IJobProgressStore progress,
        INotificationQueue notifications, TimeProvider time, NightlySchedule schedule, IFiguresStore figures)
        : base(JobName, programs, progress, time)
    {
        this.programStore = programStore;
        this.programs = programs;
        this.members = members;
        this.reviews = reviews;
        batches = new MemberBatches(members, outbox, notifications);
        Schedule = schedule;
        this.figures = figures;
    }

    public NightlySchedule Schedule { get; }

    /// <summary>The counters of a shard and of a run.</summary>
    public static class Counts
    {
        /// <summary>Members brought up to the date and re-filed (every member found due).</summary>
        public const string Reviewed = "reviewed";

        /// <summary>Reviewed members whose review changed more than the review date: a window, points, vouchers, a tier.</summary>
        public const string Changed = "changed";

        /// <summary>Members whose qualification window ended and moved on to the next.</summary>
        public const string WindowsClosed = "windowsClosed";

        /// <summary>Members whose window ended and who kept a tier above the base tier.</summary>
        public const string Renewed = "renewed";

        public const string Downgraded = "downgraded";
        public const string Upgraded = "upgraded";
        public const string PointsExpired = "pointsExpired";
        public const string VouchersExpired = "vouchersExpired";

        /// <summary>Birthday rewards, and conversions or stamp-card rewards that had waited for a free voucher slot.</summary>
        public const string VouchersIssued = "vouchersIssued";

        /// <summary>Notifications written to the outbox (tier changes, expiries, vouchers).</summary>
        public const string Notifications = "notifications";

        /// <summary>Notifications left in the outbox because the queue failed; the outbox sweep sends them.</summary>
        public const string DeliveryDeferred = BatchCounts.DeliveryDeferred;

        /// <summary>Members changed by another writer between read and write, reviewed again on their own.</summary>
        public const string Conflicts = BatchCounts.Conflicts;

        /// <summary>Index entries whose member was re-filed by another write meanwhile (or no longer exists): nothing to do.</summary>
        public const string Skipped = BatchCounts.Skipped;
    }

    /// <summary>The run of the nightly review of <paramref name="date"/> for a program: its key in <see cref="IJobProgressStore"/>.</summary>
    public static JobKey Key(string programId, DateOnly date) => new(programId, JobName, date.ToString(RunFormat, CultureInfo.InvariantCulture));

    /// <summary>The date a run of this job reviews, from its key (<see cref="Key"/>).</summary>
    /// <exception cref="ArgumentException">The key is not a nightly review's.</exception>
    public static DateOnly DateOf(JobKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Job == JobName && DateOnly.TryParseExact(key.Run, RunFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new ArgumentException($"'{key}' is not a run of {JobName}.", nameof(key));
    }

    private const string RunFormat = "yyyyMMdd";

    /// <summary>
    /// The programs whose review is due at <paramref name="now"/> (<see cref="Schedule"/>, in each program's zone) and has
    /// not completed. One date per program, the latest: reviewing date D also catches up every missed night before it.
    /// </summary>
    public async Task<IReadOnlyList<NightlyRun>> DueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = new List<NightlyRun>();
        foreach (var programId in await programStore.ListIdsAsync(cancellationToken))
        {
            if (await programs.GetAsync(programId, cancellationToken) is not { } program) continue;
            var date = Schedule.DueDate(programId, program.InForceAt(now).TimeZone, now);
            if (await Progress.GetTotalsAsync(Key(programId, date), cancellationToken) is null)
                due.Add(new NightlyRun(programId, date));
        }
        return due;
    }

    /// <summary>The due nights (<see cref="DueAsync"/>): a night keeps no state of its own to mark started.</summary>
    public override async Task<IReadOnlyList<JobKey>> StartDueAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        [.. (await DueAsync(now, cancellationToken)).Select(run => Key(run.ProgramId, run.Date))];

    /// <summary>The earliest next due time over all programs.</summary>
    public override async Task<DateTimeOffset> NextDueAtAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var next = now.AddDays(1);
        foreach (var programId in await programStore.ListIdsAsync(cancellationToken))
        {
            if (await programs.GetAsync(programId, cancellationToken) is not { } program) continue;
            var at = Schedule.NextRunAt(programId, program.InForceAt(now).TimeZone, now);
            if (at < next) next = at;
        }
        return next;
    }

    /// <summary>
    /// An operator's request to run the review of <paramref name="date"/> ("yyyy-MM-dd") now: checked, with the run's
    /// progress so far (complete: nothing to do). A date after the program's today is refused, as its review would expire
    /// points and close windows early, unless <paramref name="ahead"/> (trying a coming night on test or demo data).
    /// </summary>
    public async Task<Result<NightlyRequest>> RequestAsync(LoadedProgram program, string? date, bool ahead, CancellationToken cancellationToken)
    {
        if (ParseDate(date) is not { } night) return DateInvalid<NightlyRequest>();
        var programId = program.Settings.ProgramId;
        var today = program.InForceAt(Time.GetUtcNow()).LocalDate(Time.GetUtcNow());
        if (night > today && !ahead)
            return Result<NightlyRequest>.Fail(ErrorCodes.NightlyDateInFuture, "date",
                $"The review of {date} would bring members to a day that has not come (today is {today:yyyy-MM-dd} in the program's time zone).");
        var run = new NightlyRun(programId, night);
        return new NightlyRequest(run, await JobProgressView.ReadAsync(Progress, Key(programId, night), program.Settings.Shards, cancellationToken));
    }

    /// <summary>The progress of the review of <paramref name="date"/> ("yyyy-MM-dd"), per shard; a night never run shows no shards.</summary>
    public async Task<Result<JobProgressView>> ProgressAsync(LoadedProgram program, string? date, CancellationToken cancellationToken)
    {
        if (ParseDate(date) is not { } night) return DateInvalid<JobProgressView>();
        return await JobProgressView.ReadAsync(Progress, Key(program.Settings.ProgramId, night), program.Settings.Shards, cancellationToken);
    }

    private static DateOnly? ParseDate(string? date) =>
        DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var night) ? night : null;

    private static Result<T> DateInvalid<T>() =>
        Result<T>.Fail(ErrorCodes.NightlyDateInvalid, "date", "The date must be a calendar date written yyyy-MM-dd, e.g. 2027-01-01.");

    /// <summary>Reviews the shard's members due on or before the run's date, a chunk at a time; an interrupted shard carries on with the members still
    /// due.</summary>
    private protected override async Task<ShardResult> RunShardAsync(ShardAttempt attempt, LoadedProgram program, CancellationToken cancellationToken)
    {
        var date = DateOf(attempt.Key);
        var version = VersionOn(program, date);

        // In member-id order, so a chunk's profiles are close together in the shard (the store may read them as one range).
        var due = (await reviews.ListDueAsync(attempt.Key.ProgramId, attempt.Shard, date, cancellationToken)).OrderBy(e => e.MemberId, StringComparer.Ordinal);
        foreach (var chunk in due.Chunk(MemberBatches.ChunkSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await attempt.ChunkDoneAsync(await ReviewChunkAsync(attempt.Key, program, version, date, attempt.Shard, chunk, cancellationToken));
            // The members reviewed have left the due range, so the next call lists only the rest.
            if (attempt.SliceSpent) return attempt.Paused();
        }
        await CountShardAsync(attempt.Key.ProgramId, attempt.Shard, date, cancellationToken);
        return await attempt.FinishAsync(ShardCounts.Zero, cancellationToken);
    }

    /// <summary>
    /// Counts every member of the shard as the night left it, a page at a time. Stored before the shard is marked finished, so
    /// a crash in between counts the shard again and the new count replaces the old: a night's figures are never added twice.
    /// </summary>
    private async Task CountShardAsync(string programId, int shard, DateOnly date, CancellationToken cancellationToken)
    {
        var counted = ShardFigures.Empty(date, shard, Time.GetUtcNow());
        string? after = null;
        do
        {
            var page = await members.ListShardAsync(programId, shard, CountPageSize, after, cancellationToken);
            counted = counted.With(page.Items.Select(m => new CountedMember(m.State, m.Profile.ErasedAt is not null)));
            after = page.Next;
        }
        while (after is not null);
        await figures.SaveAsync(programId, counted with { CountedAt = Time.GetUtcNow() }, cancellationToken);
    }

    /// <summary>A full page of the table service.</summary>
    private const int CountPageSize = 1000;

    /// <summary>Runs one program's review of <paramref name="date"/> in this process, resuming where an earlier attempt stopped.</summary>
    public Task<JobReport> RunAsync(string programId, DateOnly date, JobRunOptions? options = null, IProgress<JobStatus>? report = null,
        CancellationToken cancellationToken = default) =>
        RunAsync(Key(programId, date), options, report, cancellationToken);

    /// <summary>The version that reviews a date: the one in force when the day starts in the program's zone.</summary>
    internal static CompiledProgram VersionOn(LoadedProgram program, DateOnly date)
    {
        var zone = program.Catalog.Versions[0].TimeZone;
        var midnight = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(midnight)) midnight = midnight.AddMinutes(1);
        return program.InForceAt(new DateTimeOffset(midnight, zone.GetUtcOffset(midnight)));
    }

    private async Task<ShardCounts> ReviewChunkAsync(JobKey job, LoadedProgram program, CompiledProgram version, DateOnly date, int shard,
        FiledMember[] entries, CancellationToken cancellationToken)
    {
        var orphans = JobCounts.Zero;
        var loaded = await members.GetManyAsync([.. entries.Select(e => program.Member(e.MemberId))], cancellationToken);
        if (loaded.Count < entries.Length)
        {
            // Filed, but gone: a member is only ever written together with its index entry, so this one was removed
            // without it. Clear the entry, or every night would find it again.
            var found = loaded.Select(m => m.Profile.MemberId).ToHashSet(StringComparer.Ordinal);
            foreach (var orphan in entries.Where(e => !found.Contains(e.MemberId)))
            {
                await reviews.RemoveAsync(program.Settings.ProgramId, shard, orphan, cancellationToken);
                orphans = orphans.Add(Counts.Skipped, 1);
            }
        }

        var now = Time.GetUtcNow();
        var batch = await batches.CommitAsync(job, program, loaded, member =>
        {
            // Another write re-filed the member after the index was read (a purchase today catches up by itself).
            if (member.ReviewOn is not { } filed || filed > date) return null;
            return Review(program, version, date, member, now);
        }, cancellationToken);
        return batch.Counts + new ShardCounts(JobCounts.Zero, orphans);
    }

    /// <summary>The review of one member as a write: the state brought up to the date, re-filed under its next review date.</summary>
    private static MemberChange Review(LoadedProgram program, CompiledProgram version, DateOnly date, StoredMember member, DateTimeOffset now)
    {
        var change = new MemberBook(member.State).Review(version, date);
        return new MemberChange(MemberWrite.From(program, member.Profile, member.Activity, change, now), Count(version, member.State, change.Transition));
    }

    private static JobCounts Count(CompiledProgram program, MemberState before, Transition transition)
    {
        var after = transition.State;
        var counts = JobCounts.Zero.Add(Counts.Reviewed, 1);
        var windowClosed = after.WindowStart != before.WindowStart;
        if (transition.Ledger.Count == 0 && transition.Events.Count == 0 && after.Tier == before.Tier && !windowClosed) return counts;
        var downgraded = transition.Events.Any(e => e is TierDowngraded);
        return counts
            .Add(Counts.Changed, 1)
            .Add(Counts.WindowsClosed, windowClosed ? 1 : 0)
            .Add(Counts.Renewed, windowClosed && !downgraded && after.Tier != program.BaseTier ? 1 : 0)
            .Add(Counts.Downgraded, downgraded ? 1 : 0)
            .Add(Counts.Upgraded, transition.Events.Any(e => e is TierUpgraded) ? 1 : 0)
            .Add(Counts.PointsExpired, -transition.Ledger.Where(e => e.Kind == LedgerKind.Expired).Sum(e => e.Points))
            .Add(Counts.VouchersExpired, transition.Events.Count(e => e is VoucherExpired))
            .Add(Counts.VouchersIssued, transition.Events.Count(e => e is VoucherIssued))
            .Add(Counts.Notifications, transition.Events.Count > 0 ? 1 : 0);
    }
}

/// <summary>A program's nightly review that is due: the program and the date to bring its members up to.</summary>
public sealed record NightlyRun(string ProgramId, DateOnly Date);

/// <summary>A checked request to run a night now, with its progress so far.</summary>
public sealed record NightlyRequest(NightlyRun Run, JobProgressView Progress);
