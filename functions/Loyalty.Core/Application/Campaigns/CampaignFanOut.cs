using System.Globalization;
using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Campaigns;
using Loyalty.Core.Members;
using Loyalty.Core.Programs;
using Loyalty.Core.Segments;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Application.Campaigns;

/// <summary>
/// One run of a campaign as a <see cref="ShardedJob"/> (its due runs are those <see cref="CampaignScheduler"/> starts):
/// a shard activity walks the shard's profiles as one key range and delivers to the members the segment and consent
/// pick, 100 to a transaction. Exactly once per member because the idempotency key is the member's own operation record
/// <c>campaign:{id}:{run}</c>, written with the offer: a restarted shard goes on after its recorded cursor and finds the
/// chunk that was in flight already applied. A cancelled campaign stops at the next chunk. The full story:
/// docs/architecture.md, 'Campaign fan-out: the exactly-once record lives with the member', and docs/operations.md,
/// 'Who gets a run, exactly once'.
/// </summary>
public sealed class CampaignFanOut : ShardedJob
{
    public const string JobName = "campaign";

    /// <summary>Profiles read per page of a shard's key range (a table page holds at most 1,000).</summary>
    internal const int PageSize = 1000;

    private readonly CampaignScheduler scheduler;
    private readonly IMemberStore members;
    private readonly ICampaignStore campaigns;
    private readonly ICampaignDeliveries deliveries;
    private readonly MemberBatches batches;

    public CampaignFanOut(
        CampaignScheduler scheduler, ProgramCache programs, IMemberStore members, IMemberOutbox outbox, ICampaignStore campaigns,
        ICampaignDeliveries deliveries,
        IJobProgressStore progress, INotificationQueue notifications, TimeProvider time)
        : base(JobName, programs, progress, time)
    {
        this.scheduler = scheduler;
        this.members = members;
        this.campaigns = campaigns;
        this.deliveries = deliveries;
        batches = new MemberBatches(members, outbox, notifications);
    }

    /// <summary>The counters of a shard and of a run.</summary>
    public static class Counts
    {
        /// <summary>Profiles read.</summary>
        public const string Scanned = "scanned";

        /// <summary>Members the segment matched.</summary>
        public const string Matched = "matched";

        /// <summary>Matched, but without consent to the campaign's channel or an address on it: not contacted.</summary>
        public const string NotReachable = "notReachable";

        /// <summary>Members who got the run now (the write is in the store).</summary>
        public const string Delivered = "delivered";

        /// <summary>Members the offer could not be given to (e.g. no room for another voucher): nothing was written.</summary>
        public const string Refused = "refused";

        /// <summary>Set on a shard that stopped because the campaign was cancelled.</summary>
        public const string Cancelled = "cancelled";
    }

    public static JobKey Key(CampaignRun run) => new(run.ProgramId, JobName, $"{run.CampaignId}/{run.RunId}");

    /// <summary>The run a job key names (<see cref="Key"/>).</summary>
    /// <exception cref="ArgumentException">The key is not a campaign run's.</exception>
    public static CampaignRun RunOf(JobKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.Run.IndexOf('/', StringComparison.Ordinal);
        return key.Job == JobName && slash > 0 && slash < key.Run.Length - 1
            ? new CampaignRun(key.ProgramId, key.Run[..slash], key.Run[(slash + 1)..])
            : throw new ArgumentException($"'{key}' is not a run of a campaign.", nameof(key));
    }

    /// <summary>The due runs (<see cref="CampaignScheduler.DueAsync"/>) that could be marked started on their campaign.</summary>
    public override async Task<IReadOnlyList<JobKey>> StartDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var started = new List<JobKey>();
        foreach (var run in await scheduler.DueAsync(now, cancellationToken))
            if (await scheduler.StartAsync(run, cancellationToken))
                started.Add(Key(run));
        return started;
    }

    /// <summary>Walks the shard's profiles after the recorded cursor and delivers to the members the segment matches; stops at the next chunk once the campaign
    /// is cancelled.</summary>
    private protected override async Task<ShardResult> RunShardAsync(ShardAttempt attempt, LoadedProgram program, CancellationToken cancellationToken)
    {
        var run = RunOf(attempt.Key);
        var now = Time.GetUtcNow();
        var version = program.InForceAt(now);
        var today = version.LocalDate(now);
        var compiled = await CompileAsync(run, version, cancellationToken);

        var pending = new List<StoredMember>(MemberBatches.ChunkSize);
        var scanned = 0;
        CursorPage<StoredMember> page;
        do
        {
            page = await members.ListShardAsync(run.ProgramId, attempt.Shard, PageSize, attempt.Cursor, cancellationToken);
            for (var i = 0; i < page.Items.Count; i++)
            {
                var member = page.Items[i];
                scanned++;
                if (Active(member) && compiled.Segment.Matches(Facts(member, version, today), today)) pending.Add(member);
                if (pending.Count < MemberBatches.ChunkSize && i < page.Items.Count - 1) continue;

                // Everything up to this member has been looked at: write the chunk, then record the cursor after it.
                cancellationToken.ThrowIfCancellationRequested();
                if (await IsCancelledAsync(run, cancellationToken))
                    return await attempt.FinishAsync(new ShardCounts(JobCounts.Zero, JobCounts.Zero.Add(Counts.Cancelled, 1)), CancellationToken.None);
                var done = await DeliverChunkAsync(
                    run, attempt.Key, program, version, today, compiled, attempt.Shard, attempt.Cursor, pending, cancellationToken)
                    + new ShardCounts(JobCounts.Zero, JobCounts.Zero.Add(Counts.Scanned, scanned));
                scanned = 0;
                pending.Clear();
                await attempt.ChunkDoneAsync(done, member.Profile.MemberId);
                // The cursor is recorded after this member, so the next call goes on from there.
                if (attempt.SliceSpent) return attempt.Paused();
            }
        }
        while (page.Next is not null);

        return await attempt.FinishAsync(ShardCounts.Zero, cancellationToken);
    }

    /// <summary>Finishes the run on the campaign (scheduled again or completed).</summary>
    private protected override Task CompletedAsync(JobKey key, CancellationToken cancellationToken) => FinishAsync(RunOf(key), cancellationToken);

    /// <summary>Runs one campaign run in this process, resuming where an earlier attempt stopped.</summary>
    public Task<JobReport> RunAsync(CampaignRun run, JobRunOptions? options = null, IProgress<JobStatus>? report = null,
        CancellationToken cancellationToken = default) =>
        RunAsync(Key(run), options, report, cancellationToken);

    /// <summary>A run's progress per shard (<see cref="JobProgressView"/>); a run never started shows no shards.</summary>
    public async Task<Result<JobProgressView>> ProgressAsync(LoadedProgram program, string? campaignId, string? runId, CancellationToken cancellationToken)
    {
        if (CampaignService.IdErrors(campaignId, "campaignId").Concat(CampaignService.IdErrors(runId, "runId")).ToList() is { Count: > 0 } mistakes)
            return Result<JobProgressView>.Fail(mistakes);
        var programId = program.Settings.ProgramId;
        if (await campaigns.GetAsync(programId, campaignId!, cancellationToken) is null)
            return CampaignService.CampaignNotFound<JobProgressView>(campaignId!);
        return await JobProgressView.ReadAsync(Progress, Key(new CampaignRun(programId, campaignId!, runId!)), program.Settings.Shards, cancellationToken);
    }

    private async Task<ShardCounts> DeliverChunkAsync(
        CampaignRun run, JobKey job, LoadedProgram program, CompiledProgram version, DateOnly today, CompiledCampaign compiled, int shard, string? after,
        List<StoredMember> chunk, CancellationToken cancellationToken)
    {
        var definition = compiled.Definition;
        var reachable = chunk.Where(m => Reachable(m.Profile, definition.Message.Channel)).ToList();
        var seen = JobCounts.Zero.Add(Counts.Matched, chunk.Count).Add(Counts.NotReachable, chunk.Count - reachable.Count);
        if (reachable.Count == 0) return new ShardCounts(JobCounts.Zero, seen);

        var now = Time.GetUtcNow();
        var messages = new Dictionary<string, string>(StringComparer.Ordinal);
        // A member may be planned twice (again alone after a conflict): count the final answer only.
        var refused = new HashSet<string>(StringComparer.Ordinal);
        var batch = await batches.CommitAsync(job, program, reachable, member =>
        {
            var facts = Facts(member, version, today);
            if (!compiled.Segment.Matches(facts, today)) return null;
            var delivery = compiled.DispatchFor(facts, run.RunId, today);
            // The batch's conditional insert of the run's record, not the book, turns a resumed run into a replay.
            var change = new MemberBook(member.State).ReceiveCampaign(version, delivery);
            if (!change.IsValid)
            {
                refused.Add(member.Profile.MemberId);
                return null;
            }
            refused.Remove(member.Profile.MemberId);
            messages[member.Profile.MemberId] = delivery.Message;
            var write = MemberWrite.From(
                program, member.Profile,
                member.Activity.Contacted(new CampaignContact(run.CampaignId, run.RunId, today, definition.AttributionDays)), change.Value, now);
            return new MemberChange(write, JobCounts.Zero.Add(Counts.Delivered, 1));
        }, cancellationToken);
        // A refusal is planned as "nothing to do"; count it as refused, not skipped.
        seen = seen.Add(BatchCounts.Skipped, -refused.Count).Add(Counts.Refused, refused.Count);
        var counts = batch.Counts + new ShardCounts(JobCounts.Zero, seen);
        if (batch.Written.Count == 0) return counts;

        // Written means delivered, now or by an earlier attempt: record and export all of them again (both are idempotent).
        var written = batch.Written.ToHashSet(StringComparer.Ordinal);
        var audience = reachable.Where(m => written.Contains(m.Profile.MemberId)).ToList();
        var offer = OfferText(definition.Offer);
        var channel = definition.Message.Channel.ToString().ToLowerInvariant();
        await deliveries.RecordAsync(
            run, shard, [.. audience.Select(m => new DeliveryRecord(m.Profile.MemberId, channel, now, offer))], CancellationToken.None);
        await deliveries.ExportAsync(run, shard, after ?? "start", [.. audience.Select(m => new AudienceLine(
            m.Profile.MemberId, channel, Address(m.Profile, definition.Message.Channel), m.Profile.FirstName,
            messages.GetValueOrDefault(m.Profile.MemberId) ?? "", offer))], CancellationToken.None);
        return counts;
    }

    private async Task<CompiledCampaign> CompileAsync(CampaignRun run, CompiledProgram version, CancellationToken cancellationToken)
    {
        var campaign = (await campaigns.GetAsync(run.ProgramId, run.CampaignId, cancellationToken))?.Value
            ?? throw new InvalidOperationException($"There is no campaign '{run.CampaignId}' in program '{run.ProgramId}'.");
        SegmentDefinition? stored = null;
        if (campaign.Definition.SegmentId is { } segmentId)
            stored = (await campaigns.GetSegmentAsync(run.ProgramId, segmentId, cancellationToken))?.Definition
                ?? throw new InvalidOperationException($"Campaign '{run.CampaignId}' refers to segment '{segmentId}', which does not exist.");
        var compiled = CompiledCampaign.Compile(campaign.Definition, version, stored);
        return compiled.IsValid
            ? compiled.Value
            : throw new InvalidOperationException($"Campaign '{run.CampaignId}' no longer compiles against the program in force: " +
                $"{string.Join("; ", compiled.Errors.Select(e => e.Message))}");
    }

    private async Task<bool> IsCancelledAsync(CampaignRun run, CancellationToken cancellationToken) =>
        (await campaigns.GetAsync(run.ProgramId, run.CampaignId, cancellationToken))?.Value.Status == CampaignStatus.Cancelled;

    /// <summary>Marks the run finished on the campaign, reloading on a lost race; a cancelled or finished campaign stays as it is.</summary>
    private async Task FinishAsync(CampaignRun run, CancellationToken cancellationToken)
    {
        var program = await LoadAsync(run.ProgramId, cancellationToken);
        for (var attempt = 0; attempt < Concurrency.MaxAttempts; attempt++)
        {
            if (await campaigns.GetAsync(run.ProgramId, run.CampaignId, cancellationToken) is not { } stored) return;
            var now = Time.GetUtcNow();
            var finished = stored.Value.Finish(run.RunId, program.InForceAt(now).TimeZone, now);
            if (!finished.IsValid || finished.Value == stored.Value) return;
            if (await campaigns.ReplaceAsync(run.ProgramId, finished.Value, stored.Version, cancellationToken)) return;
        }
        throw new InvalidOperationException($"Campaign '{run.CampaignId}' kept changing while its run '{run.RunId}' was being finished.");
    }

    /// <summary>An erased member keeps its points for the accounts but is no one a segment can count or a campaign reach.</summary>
    internal static bool Active(StoredMember member) => member.Profile.ErasedAt is null;

    internal static MemberFacts Facts(StoredMember member, CompiledProgram version, DateOnly today) =>
        MemberFacts.From(
            member.State, member.Activity, version, today, member.Profile.FirstName,
            member.Profile.Consents.Where(c => c.Value.Granted).Select(c => c.Key), member.Profile.Interests, member.Profile.BirthDate);

    /// <summary>
    /// Whether a campaign on <paramref name="channel"/> may contact the member: not erased, consent granted on that
    /// channel (a segment cannot widen it) and an address on it (push goes by member id).
    /// </summary>
    internal static bool Reachable(MemberProfile profile, ConsentChannel channel) =>
        profile.ErasedAt is null && profile.Consents.TryGetValue(channel, out var consent) && consent.Granted
            && (channel == ConsentChannel.Push || Address(profile, channel) is not null);

    private static string? Address(MemberProfile profile, ConsentChannel channel) => channel switch
    {
        ConsentChannel.Email => profile.Email,
        ConsentChannel.Sms => profile.Phone,
        _ => null,
    };

    private static string? OfferText(Offer offer) => offer.Kind switch
    {
        OfferKind.Coupon => offer.Code,
        OfferKind.Voucher => $"voucher {offer.Value?.ToString(CultureInfo.InvariantCulture)}",
        OfferKind.BonusPoints => $"{offer.Points?.ToString(CultureInfo.InvariantCulture)} points",
        _ => null,
    };
}
