using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Campaigns;
using Loyalty.Core.Segments;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Application.Campaigns;

internal sealed class CampaignService(
    IMemberStore members, ICampaignStore campaigns, ICampaignDeliveries deliveries, IJobProgressStore progress, TimeProvider time)
    : ICampaignService
{
    /// <summary>Shards an estimate reads: enough to be within a few per cent on a large program, few enough to answer in seconds.</summary>
    internal const int SampleShards = 8;

    /// <summary>Shards counted at once for a preview (Azurite serves one request at a time and saturates at ~8).</summary>
    private const int PreviewParallelism = 4;

    public async Task<Result<NamedSegmentView>> CreateSegmentAsync(LoadedProgram program, CreateSegment request, CancellationToken cancellationToken)
    {
        var programId = program.Settings.ProgramId;
        var errors = new ErrorList();
        errors.Identifier(request.SegmentId, "segmentId", CampaignValidator.MaxIdLength);
        errors.Text(request.Name, "name", CampaignValidator.MaxNameLength);
        if (errors.Any) return Result<NamedSegmentView>.Fail(errors.Items);
        var compiled = CompiledSegment.Compile(request.Definition, program.InForceAt(time.GetUtcNow()));
        if (!compiled.IsValid) return Result<NamedSegmentView>.Fail(compiled.Errors);

        var segment = new NamedSegment(request.SegmentId, Texts.Trim(request.Name), request.Definition, time.GetUtcNow());
        if (!await campaigns.InsertSegmentAsync(programId, segment, cancellationToken))
            return Result<NamedSegmentView>.Fail(ApplicationErrors.SegmentExists, "segmentId",
                $"Segment '{request.SegmentId}' exists already; segments are not changed in place, so campaigns keep meaning what they meant.");
        return View(segment);
    }

    public async Task<Result<IReadOnlyList<NamedSegmentView>>> ListSegmentsAsync(LoadedProgram program, CancellationToken cancellationToken)
    {
        var programId = program.Settings.ProgramId;
        return Result<IReadOnlyList<NamedSegmentView>>.Ok([.. (await campaigns.ListSegmentsAsync(programId, cancellationToken)).Select(View)]);
    }

    public async Task<Result<SegmentSize>> PreviewSegmentAsync(LoadedProgram program, SegmentPreview request, CancellationToken cancellationToken)
    {
        var programId = program.Settings.ProgramId;
        if ((request.SegmentId is null) == (request.Definition is null))
            return Result<SegmentSize>.Fail(ErrorCodes.Required, "", "Give either segmentId (a saved segment) or definition (a segment to try).");
        var definition = request.Definition;
        if (request.SegmentId is { } segmentId)
        {
            if (IdErrors(segmentId, "segmentId") is { Count: > 0 } mistakes) return Result<SegmentSize>.Fail(mistakes);
            if (await campaigns.GetSegmentAsync(programId, segmentId, cancellationToken) is not { } saved) return SegmentNotFound<SegmentSize>(segmentId);
            definition = saved.Definition;
        }
        var now = time.GetUtcNow();
        var version = program.InForceAt(now);
        var today = version.LocalDate(now);
        var compiled = CompiledSegment.Compile(definition!, version);
        if (!compiled.IsValid) return Result<SegmentSize>.Fail(compiled.Errors);

        var shards = program.Settings.Shards;
        // An even spread of shards: members are hashed into shards, so any subset is a random sample.
        var counted = request.Exact || shards <= SampleShards
            ? Enumerable.Range(0, shards).ToList()
            : [.. Enumerable.Range(0, SampleShards).Select(i => i * shards / SampleShards)];
        var gate = new object();
        var (looked, matching) = (0L, 0L);
        var reachable = Enum.GetValues<ConsentChannel>().ToDictionary(c => c, _ => 0L);
        await Parallel.ForEachAsync(counted, new ParallelOptions { MaxDegreeOfParallelism = PreviewParallelism, CancellationToken = cancellationToken },
            async (shard, token) =>
        {
            string? after = null;
            do
            {
                var page = await members.ListShardAsync(programId, shard, CampaignFanOut.PageSize, after, token);
                var counted = page.Items.Where(CampaignFanOut.Active).ToList();
                var matched = counted.Where(m => compiled.Value.Matches(CampaignFanOut.Facts(m, version, today), today)).ToList();
                lock (gate)
                {
                    looked += counted.Count;
                    matching += matched.Count;
                    foreach (var channel in reachable.Keys.ToList())
                        reachable[channel] += matched.Count(m => CampaignFanOut.Reachable(m.Profile, channel));
                }
                after = page.Next;
            }
            while (after is not null);
        });

        long Scale(long n) => counted.Count == shards ? n : (long)Math.Round((double)n * shards / counted.Count);
        return new SegmentSize(
            Scale(matching), reachable.ToDictionary(r => r.Key.ToString().ToLowerInvariant(), r => Scale(r.Value)), Scale(looked),
            counted.Count == shards, counted.Count, shards);
    }

    public async Task<Result<CampaignView>> CreateAsync(LoadedProgram program, CampaignDefinition definition, CancellationToken cancellationToken)
    {
        var programId = program.Settings.ProgramId;
        var version = program.InForceAt(time.GetUtcNow());
        // Shapes and sizes first: the segment id is looked up in storage next.
        if (CampaignValidator.Validate(definition, version) is { Count: > 0 } shape) return Result<CampaignView>.Fail(shape);
        SegmentDefinition? stored = null;
        if (definition.SegmentId is { } segmentId && definition.Segment is null)
        {
            if (await campaigns.GetSegmentAsync(programId, segmentId, cancellationToken) is not { } saved) return SegmentNotFound<CampaignView>(segmentId);
            stored = saved.Definition;
        }
        var compiled = CompiledCampaign.Compile(definition, version, stored);
        if (!compiled.IsValid) return Result<CampaignView>.Fail(compiled.Errors);
        var created = Campaign.Create(definition, version);
        if (!created.IsValid) return Result<CampaignView>.Fail(created.Errors);

        return await campaigns.InsertAsync(programId, created.Value, cancellationToken) switch
        {
            CampaignInsert.IdTaken => Result<CampaignView>.Fail(ApplicationErrors.CampaignExists, "campaignId",
            $"Campaign '{definition.CampaignId}' exists already."),
            CampaignInsert.CouponTaken => Result<CampaignView>.Fail(ApplicationErrors.CouponTaken, "offer.code",
            $"Coupon code '{definition.Offer.Code}' belongs to another campaign of this program; redemptions must say which campaign they are for."),
            _ => await ViewAsync(program, created.Value, cancellationToken),
        };
    }

    public async Task<Result<IReadOnlyList<CampaignView>>> ListAsync(LoadedProgram program, CancellationToken cancellationToken)
    {
        var programId = program.Settings.ProgramId;
        var now = time.GetUtcNow();
        var zone = program.InForceAt(now).TimeZone;
        // The list is an overview: run progress is on each campaign's own page.
        return Result<IReadOnlyList<CampaignView>>.Ok([.. (await campaigns.ListAsync(programId, cancellationToken))
            .Select(c => new CampaignView(c.Value, c.Value.NextRunAt(zone, now), []))]);
    }

    public async Task<Result<CampaignView>> GetAsync(LoadedProgram program, string campaignId, CancellationToken cancellationToken)
    {
        if (IdErrors(campaignId, "campaignId") is { Count: > 0 } mistakes) return Result<CampaignView>.Fail(mistakes);
        var programId = program.Settings.ProgramId;
        if (await campaigns.GetAsync(programId, campaignId, cancellationToken) is not { } stored) return CampaignNotFound<CampaignView>(campaignId);
        return await ViewAsync(program, stored.Value, cancellationToken);
    }

    public Task<Result<CampaignView>> ScheduleAsync(LoadedProgram program, string campaignId, CancellationToken cancellationToken) =>
        ChangeAsync(program, campaignId, (campaign, zone, now) => campaign.Schedule(zone, now), cancellationToken);

    public Task<Result<CampaignView>> CancelAsync(LoadedProgram program, string campaignId, CancellationToken cancellationToken) =>
        ChangeAsync(program, campaignId, (campaign, _, now) => campaign.Cancel(now), cancellationToken);

    public async Task<Result<CampaignStatisticsView>> GetStatisticsAsync(LoadedProgram program, string campaignId, CancellationToken cancellationToken)
    {
        if (IdErrors(campaignId, "campaignId") is { Count: > 0 } mistakes) return Result<CampaignStatisticsView>.Fail(mistakes);
        var programId = program.Settings.ProgramId;
        if (await campaigns.GetAsync(programId, campaignId, cancellationToken) is not { } stored) return CampaignNotFound<CampaignStatisticsView>(campaignId);
        var campaign = stored.Value;
        var channel = campaign.Definition.Message.Channel;

        // Contacts from the runs' counters (cheap, and exact: "delivered" is counted in each delivery's own transaction,
        // so a delivery found applied by a resumed or second runner is already in it); reach counts distinct members,
        // which only a recurring campaign needs a scan for.
        var runs = await RunsAsync(program, campaignId, cancellationToken);
        var contacts = runs.Sum(r => r.Counts[CampaignFanOut.Counts.Delivered]);
        var reach = runs.Count <= 1 ? contacts : await DistinctMembersAsync(program, campaignId, runs, cancellationToken);
        var statistics = CampaignStatistics.Zero with
        {
            Reach = reach,
            Email = channel == ConsentChannel.Email ? contacts : 0,
            Sms = channel == ConsentChannel.Sms ? contacts : 0,
            Push = channel == ConsentChannel.Push ? contacts : 0,
        };
        foreach (var response in await deliveries.ListResponsesAsync(programId, campaignId, cancellationToken))
            statistics += response.Kind == ResponseKind.Redemption ? CampaignStatistics.Redeemed() : CampaignStatistics.Purchase(response.Amount);
        return new CampaignStatisticsView(campaignId, campaign.RunsStarted, campaign.Definition.AttributionDays, statistics);
    }

    private async Task<long> DistinctMembersAsync(
        LoadedProgram program, string campaignId, IReadOnlyList<CampaignRunView> runs, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var run in runs)
            for (var shard = 0; shard < program.Settings.Shards; shard++)
                foreach (var delivery in await deliveries.ListAsync(
                    new CampaignRun(program.Settings.ProgramId, campaignId, run.RunId), shard, cancellationToken))
                    seen.Add(delivery.MemberId);
        return seen.Count;
    }

    private async Task<Result<CampaignView>> ChangeAsync(
        LoadedProgram program, string campaignId, Func<Campaign, TimeZoneInfo, DateTimeOffset, Result<Campaign>> change, CancellationToken cancellationToken)
    {
        if (IdErrors(campaignId, "campaignId") is { Count: > 0 } mistakes) return Result<CampaignView>.Fail(mistakes);
        var programId = program.Settings.ProgramId;
        for (var attempt = 0; attempt < Concurrency.MaxAttempts; attempt++)
        {
            if (await campaigns.GetAsync(programId, campaignId, cancellationToken) is not { } stored) return CampaignNotFound<CampaignView>(campaignId);
            var now = time.GetUtcNow();
            var changed = change(stored.Value, program.InForceAt(now).TimeZone, now);
            if (!changed.IsValid) return Result<CampaignView>.Fail(changed.Errors);
            if (changed.Value == stored.Value || await campaigns.ReplaceAsync(programId, changed.Value, stored.Version, cancellationToken))
                return await ViewAsync(program, changed.Value, cancellationToken);
        }
        return Result<CampaignView>.Fail(ApplicationErrors.Busy, "", "The campaign is being changed by many requests at once; try again shortly.");
    }

    private async Task<Result<CampaignView>> ViewAsync(LoadedProgram program, Campaign campaign, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var runs = await RunsAsync(program, campaign.CampaignId, cancellationToken);
        return new CampaignView(campaign, campaign.NextRunAt(program.InForceAt(now).TimeZone, now), runs);
    }

    /// <summary>Every run recorded in the job progress, complete or still going (its shards so far).</summary>
    private async Task<IReadOnlyList<CampaignRunView>> RunsAsync(LoadedProgram program, string campaignId, CancellationToken cancellationToken)
    {
        var views = new List<CampaignRunView>();
        foreach (var (key, totals) in await progress.ListRunsAsync(program.Settings.ProgramId, CampaignFanOut.JobName, campaignId + "/", cancellationToken))
        {
            var runId = CampaignFanOut.RunOf(key).RunId;
            if (totals is not null)
            {
                views.Add(new CampaignRunView(runId, true, totals.Shards, totals.Shards, totals.Counts));
                continue;
            }
            var shards = await progress.ListShardsAsync(key, cancellationToken);
            views.Add(new CampaignRunView(runId, false, shards.Count(s => s.Finished), program.Settings.Shards, JobCounts.Sum(shards.Select(s => s.Counts))));
        }
        return views;
    }

    /// <summary>A campaign or segment id from a path or a preview, checked before it is looked up.</summary>
    internal static IReadOnlyList<ValidationError> IdErrors(string? id, string path)
    {
        var errors = new ErrorList();
        errors.Identifier(id, path, CampaignValidator.MaxIdLength);
        return errors.Items;
    }

    private static NamedSegmentView View(NamedSegment segment) => new(segment.SegmentId, segment.Name, segment.Definition, segment.CreatedAt);

    internal static Result<T> CampaignNotFound<T>(string campaignId) =>
        Result<T>.Fail(ApplicationErrors.CampaignNotFound, "campaignId", $"There is no campaign '{campaignId}' in this program.");

    private static Result<T> SegmentNotFound<T>(string segmentId) =>
        Result<T>.Fail(ApplicationErrors.SegmentNotFound, "segmentId", $"There is no segment '{segmentId}' in this program.");
}
