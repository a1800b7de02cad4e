using Microsoft.Extensions.DependencyInjection;
using System.Collections.Concurrent;
using System.Diagnostics;
using Loyalty.Bench.Infra;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Campaigns;
using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Campaigns;
using Loyalty.Core.Events;
using Loyalty.Core.Segments;
using Loyalty.Core.Serialization;
using Loyalty.Core.Validation;
using Loyalty.Storage.Repositories;

namespace Loyalty.Bench.Scenarios;

/// <summary>
/// A campaign fan-out to ≈ 21 % of the members: the calendar-year members bulk-loaded as for <see cref="NightlyScenario"/>,
/// a segment (interest "cats" and e-mail consent) and a coupon campaign created and scheduled once, a minute ahead,
/// through <see cref="ICampaignService"/>, the services' clock moved past that minute, and
/// <see cref="CampaignScheduler.RunDueAsync"/> timed, as the local host's JobWorker calls it. A coupon is what a
/// send of 210,000 would carry: it is a code in the message, not a voucher or points, so it writes no ledger.
/// <para>
/// What the job writes per delivery (counted from CampaignFanOut, MemberBatches and the table stores, and counted again
/// on the wire in every run): in the member's partition, one transaction of up to 100 actions per 33 members holding its
/// operation record (insert), its outbox row (insert) and its profile (replace under If-Match; the review-index entry
/// stays, since a coupon changes no review date); then the outbox row's delete (100 per transaction) and its
/// CampaignDeliveries row (an upsert, 100 per transaction). Per chunk of up to 100 matches (a chunk also ends with every
/// page of 1,000 profiles read): the chunk's notifications in one or a few queue messages, one NDJSON audience blob, one
/// JobProgress upsert and one point read of the campaign (the cancel check). So 5 entity operations in transactions per
/// delivery, where the bound, "raw scan + batched write for the same number of entities", writes 1.
/// </para>
/// Bound: <see cref="BatchJobBench.BoundAsync"/>, as for nightly, writing as many rows as members are in the segment.
/// Checked, against the members' generation traits rather than the job's counters: the job's counts; the
/// CampaignDeliveries rows of all shards are the segment's members, each once; the audience files hold each of them
/// exactly once with their address and the rendered message; one notification queued per delivery; the campaign ends
/// completed; and a second <see cref="CampaignScheduler.RunDueAsync"/> starts nothing.
/// </summary>
public static class FanOutScenario
{
    public const string Name = "fanout";
    internal const string ProgramId = "bench-fanout";
    private const string SegmentId = "cat-owners";
    private const string CampaignId = "cat-food";
    private const string Interest = "cats";
    private const string Coupon = "CATS15";
    private const string Text = "Hi {firstName}, 15 % off cat food until Sunday with the code {coupon}.";
    private const int Shards = BatchJobBench.Shards;

    /// <summary>Audience files downloaded at once for the check.</summary>
    private const int DownloadParallelism = 8;

    public static async Task RunAsync(BenchContext context, int? members, int parallelism, CancellationToken cancellationToken)
    {
        var count = BatchJobBench.MembersToLoad(context, members, parallelism);
        Ui.Heading($"fanout: a coupon campaign to the members with interest \"{Interest}\" and e-mail consent, of {count:N0}");
        var report = context.Report;
        var counter = new RequestCounter();
        // The services live on the day the members were generated for, whatever day this runs: on a later one each
        // delivery would also close the member's year (expiry, tier), which is the nightly scenario's work, not this one's.
        var clock = new ShiftedClock(BatchJobBench.LoadedAt);
        var loaded = await BatchJobBench.LoadAsync(context, Name, ProgramId, count, counter, clock, cancellationToken);
        var (storage, services) = (loaded.Storage, loaded.Services);
        var audience = Audience(loaded.Generator, count);
        report.Detail(Name, "segment", $"interest \"{Interest}\" and e-mail consent: {audience.Count:N0} of {count:N0} members " +
            $"({100.0 * audience.Count / count:0.0} %), from the traits they were generated with");
        var expectedRun = await ScheduleAsync(services, loaded.Program, clock, cancellationToken);

        // The job, as the local host's JobWorker runs it; its storage requests counted.
        counter.Reset();
        var options = new JobRunOptions { Parallelism = parallelism };
        var sample = context.Cpu.Start();
        var timer = Stopwatch.StartNew();
        var runs = await Ui.ProgressAsync($"CampaignScheduler.RunDueAsync: {Shards} shards, {parallelism} at once", count, progress =>
            services.GetRequiredService<CampaignScheduler>().RunDueAsync(options, new BatchJobBench.Counter(progress, CampaignFanOut.Counts.Scanned),
                cancellationToken), "members");
        var elapsed = timer.Elapsed;
        var cpu = sample.Stop();
        if (runs.Count == 0) throw new InvalidOperationException("CampaignScheduler.RunDueAsync started no run: the campaign was " +
            "not due on the services' clock.");
        var counts = JobCounts.Sum(runs.Select(r => r.ThisRun));
        var delivered = counts[CampaignFanOut.Counts.Delivered];
        var written = counter.TransactionOperations;
        report.Rates(Name, "campaign fan-out, per delivery", counter.Snapshot(), Math.Max(1, delivered), written);
        report.Detail(Name, "storage requests per delivery (counted)", BatchJobBench.RequestsPer(counter, Math.Max(1, delivered), "delivery") +
            "; the entity operations are the operation record, outbox row and profile in the member's transaction, the outbox row's delete " +
            "and the CampaignDeliveries row, " +
            "where the bound writes 1; besides, per chunk of 100 the notifications in one or a few queue messages, an audience blob, a progress upsert and a " +
            "campaign read, the other reads once per shard");

        // Part of the job, as in Azure, where the sender drains it; left full during the run, gone before anything else.
        var (messages, notifications) = await BatchJobBench.DrainNotificationsAsync(storage, cancellationToken);
        var queued = notifications.Where(n => n.Events.OfType<CampaignDelivered>().Any()).DistinctBy(n => n.Id).Count();
        report.Detail(Name, "notifications queue after the run",
            $"{notifications.Count:N0} notifications in {messages:N0} messages, not drained during the run; drained after it");

        var again = await services.GetRequiredService<CampaignScheduler>().RunDueAsync(options, null, cancellationToken);
        var container = storage.Account.GetContainer(storage.Names.CampaignsContainer);
        await VerifyAsync(context, Name, services, async (name, ct) =>
            (await container.GetBlobClient(name[(container.Name.Length + 1)..]).DownloadContentAsync(ct)).Value.Content.ToString(),
            audience, count, expectedRun, runs, counts, queued, again, cancellationToken);

        // The bound's profile rows are as large as the product's, measured on its rows.
        var profileChars = await BatchJobBench.ProfileCharsAsync(storage, cancellationToken);
        await context.CleanUpAsync(storage, cancellationToken);
        var bound = await BatchJobBench.BoundAsync(context, Name, count, audience.Count, profileChars, parallelism, cancellationToken);
        BatchJobBench.Result(context, Name, $"campaign fan-out to {delivered:N0} of {count:N0} members (CampaignScheduler.RunDueAsync)", parallelism, loaded,
            counts[CampaignFanOut.Counts.Scanned], elapsed, cpu, bound,
            $"{delivered / elapsed.TotalSeconds:N0} deliveries/s (bound {audience.Count / bound.Seconds:N0}/s); {queued:N0} notifications queued",
                counts, written);
    }

    /// <summary>
    /// The members the campaign must reach, by id (with their numbers): in the segment by the traits they were generated
    /// with, and reachable, since every one of them has an e-mail address and none is erased.
    /// </summary>
    internal static Dictionary<string, int> Audience(CalendarYearMembers generator, int count)
    {
        var audience = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var n = 0; n < count; n++)
        {
            var traits = generator.TraitsOf(n);
            if (traits.Email && traits.Interests.Contains(Interest, StringComparer.Ordinal)) audience.Add(generator.PlanOf(n).MemberId, n);
        }
        return audience;
    }

    /// <summary>
    /// The segment and the campaign, scheduled once at the next whole minute but one (at least a minute ahead, as a
    /// marketer would), then the services' clock moved past it: due without waiting for it.
    /// </summary>
    /// <returns>The run the scheduler must start.</returns>
    internal static async Task<CampaignRun> ScheduleAsync(IServiceProvider services, LoadedProgram program, ShiftedClock clock,
        CancellationToken cancellationToken)
    {
        var campaigns = services.GetRequiredService<ICampaignService>();
        Accepted(await campaigns.CreateSegmentAsync(program, new CreateSegment
        {
            SegmentId = SegmentId,
            Name = "Cat owners who take e-mail",
            Definition = new SegmentDefinition { Interests = [Interest], Consents = [ConsentChannel.Email] },
        }, cancellationToken), "segment");

        var zone = program.InForceAt(clock.GetUtcNow()).TimeZone;
        var local = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime;
        var at = new DateTime(local.Ticks - (local.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Unspecified).AddMinutes(2);
        var schedule = new CampaignSchedule { Kind = ScheduleKind.Once, Date = DateOnly.FromDateTime(at), Time = TimeOnly.FromDateTime(at) };
        Accepted(await campaigns.CreateAsync(program, new CampaignDefinition
        {
            CampaignId = CampaignId,
            Name = "Cat food week",
            SegmentId = SegmentId,
            Offer = new Offer { Kind = OfferKind.Coupon, Code = Coupon, Description = "15 % off cat food" },
            Message = new CampaignMessage { Channel = ConsentChannel.Email, Text = Text },
            Schedule = schedule,
        }, cancellationToken), "campaign");
        var scheduled = Accepted(await campaigns.ScheduleAsync(program, CampaignId, cancellationToken), "schedule");
        var due = scheduled.NextRunAt ?? throw new InvalidOperationException("The scheduled campaign has no next run.");
        clock.Advance(due - clock.GetUtcNow() + TimeSpan.FromSeconds(1));
        return new CampaignRun(ProgramId, CampaignId, schedule.RunOn(schedule.Date.Value, zone).RunId);
    }

    private static T Accepted<T>(Result<T> result, string what) =>
        result.IsValid ? result.Value : throw new InvalidOperationException($"The {what} was refused: " +
            $"{string.Join("; ", result.Errors.Select(e => $"{e.Path}: {e.Message}"))}");

    /// <summary>
    /// The checks, on any storage: its ports in <paramref name="services"/>, and <paramref name="read"/> reading an audience
    /// file by the name the store listed it under.
    /// </summary>
    internal static async Task VerifyAsync(
        BenchContext context, string scenario, IServiceProvider services, Func<string, CancellationToken, Task<string>> read,
        Dictionary<string, int> audience, int count, CampaignRun run, IReadOnlyList<JobReport> runs, JobCounts counts, long queued,
        IReadOnlyList<JobReport> again, CancellationToken cancellationToken)
    {
        var report = context.Report;
        var expected = JobCounts.Zero
            .Add(CampaignFanOut.Counts.Scanned, count)
            .Add(CampaignFanOut.Counts.Matched, audience.Count)
            .Add(CampaignFanOut.Counts.Delivered, audience.Count);
        var started = string.Join(", ", runs.Select(r => r.Key.Run));
        report.Check(scenario, "one run started, the campaign's, and its counts are those of the members' traits", runs.Count == 1
        && runs[0].Key == CampaignFanOut.Key(run) && counts.Equals(expected),
            $"runs started: {started}; job: {counts}; traits: {expected}");

        var deliveries = services.GetRequiredService<ICampaignDeliveries>();
        var rows = new int[Shards];
        var recorded = new Dictionary<string, int>(StringComparer.Ordinal);
        var wrongRows = 0;
        for (var shard = 0; shard < Shards; shard++)
        {
            foreach (var row in await deliveries.ListAsync(run, shard, cancellationToken))
            {
                rows[shard]++;
                recorded[row.MemberId] = recorded.GetValueOrDefault(row.MemberId) + 1;
                if (row.Channel != "email" || row.Offer != Coupon) wrongRows++;
            }
        }
        report.Check(scenario, "the CampaignDeliveries rows of all shards are the segment's members, each once, with the coupon",
        Exactly(audience, recorded, out var rowProblems) && wrongRows == 0,
            $"{rows.Sum():N0} rows in {rows.Count(r => r > 0)} shards ({rows.Min():N0}–{rows.Max():N0} per shard), {audience.Count:N0} members expected; " +
                $"{rowProblems}; {wrongRows} with another channel or offer");

        var (files, lines, wrongLines) = await ReadAudienceAsync(deliveries, read, audience, cancellationToken);
        report.Check(scenario, "the NDJSON audience files hold each member of the segment exactly once, with the address and the rendered message",
        Exactly(audience, lines, out var lineProblems) && wrongLines.Count == 0,
            $"{files:N0} files, {lines.Values.Sum():N0} lines; {lineProblems}; {wrongLines.Count} " +
                $"wrong{(wrongLines.Count == 0 ? "" : $" (e.g. {string.Join("; ", wrongLines.Take(3))})")}");

        report.Check(scenario, "one notification queued per delivery", queued == audience.Count,
            $"{queued:N0} delivery notifications, {audience.Count:N0} deliveries expected");

        var program = await services.ProgramAsync(ProgramId, cancellationToken);
        var campaign = Accepted(await services.GetRequiredService<ICampaignService>().GetAsync(program, CampaignId, cancellationToken),
            "status request").Campaign;
        report.Check(scenario, "the campaign ends completed, its one run finished",
        campaign is { Status: CampaignStatus.Completed, RunsStarted: 1, RunsCompleted: 1 },
            $"{campaign.Status.ToString().ToLowerInvariant()}, runs started {campaign.RunsStarted}, completed {campaign.RunsCompleted}");
        report.Check(scenario, "a second CampaignScheduler.RunDueAsync starts nothing", again.Count == 0, $"{again.Count} runs started");
    }

    /// <summary>Whether every expected member occurs exactly once and nobody else does; what is wrong, in words.</summary>
    private static bool Exactly(Dictionary<string, int> audience, Dictionary<string, int> found, out string problems)
    {
        var missing = audience.Keys.Count(id => !found.ContainsKey(id));
        var repeated = found.Count(f => f.Value > 1);
        var strangers = found.Keys.Count(id => !audience.ContainsKey(id));
        problems = $"{missing:N0} missing, {repeated:N0} more than once, {strangers:N0} not in the segment";
        return missing + repeated + strangers == 0;
    }

    /// <summary>Every audience file of the campaign: lines per member id, and the lines that say something else than they should.</summary>
    private static async Task<(int Files, Dictionary<string, int> Lines, List<string> Wrong)> ReadAudienceAsync(
        ICampaignDeliveries deliveries, Func<string, CancellationToken, Task<string>> read, Dictionary<string, int> audience,
        CancellationToken cancellationToken)
    {
        var names = await deliveries.ListExportsAsync(ProgramId, CampaignId, cancellationToken);
        var message = Text.Replace("{firstName}", CalendarYearMembers.FirstName, StringComparison.Ordinal)
            .Replace("{coupon}", Coupon, StringComparison.Ordinal);
        var lines = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var wrong = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = DownloadParallelism, CancellationToken = cancellationToken },
            async (name, ct) =>
        {
            foreach (var text in (await read(name, ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var line = LoyaltyJson.Deserialize<AudienceLine>(text);
                lines.AddOrUpdate(line.MemberId, 1, (_, n) => n + 1);
                if (audience.TryGetValue(line.MemberId, out var number)
                    && (line.Channel != "email" || line.To != CalendarYearMembers.EmailOf(number) || line.FirstName != CalendarYearMembers.FirstName
                        || line.Message != message || line.Offer != Coupon))
                {
                    wrong.Enqueue($"{name}: {text}");
                }
            }
        });
        return (names.Count, new Dictionary<string, int>(lines, StringComparer.Ordinal), [.. wrong]);
    }
}
