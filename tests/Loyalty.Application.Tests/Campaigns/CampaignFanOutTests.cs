using Loyalty.Core.Application;
using Loyalty.Core.Application.Campaigns;
using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Campaigns;
using Loyalty.Core.Segments;
using Loyalty.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Loyalty.Application.Tests.Campaigns;

/// <summary>Campaign runs over real storage: who gets a delivery, exactly once, through crashes, cancellation and DST.</summary>
public class CampaignFanOutTests : LoyaltyStorageTest
{
    private const long Bonus = 150;

    [Fact]
    public async Task Every_matching_reachable_member_gets_exactly_one_delivery_and_no_one_else()
    {
        var programId = await CreateProgramAsync("fan", shards: 4);
        var population = await EnrolPopulationAsync(programId, 48);
        await CreateAndScheduleAsync(programId, "runners", Clock.GetUtcNow().AddMinutes(5));

        Assert.Empty(await Services.CampaignScheduler.RunDueAsync());
        Clock.Advance(TimeSpan.FromMinutes(6));
        var report = Assert.Single(await Services.CampaignScheduler.RunDueAsync());

        var expected = population.Where(p => p.Runner && p.EmailConsent).Select(p => p.MemberId).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Count, report.Counts[CampaignFanOut.Counts.Delivered]);
        Assert.Equal(population.Count(p => p.Runner), report.Counts[CampaignFanOut.Counts.Matched]);
        Assert.Equal(population.Count(p => p.Runner && !p.EmailConsent), report.Counts[CampaignFanOut.Counts.NotReachable]);
        Assert.Equal(population.Count, report.Counts[CampaignFanOut.Counts.Scanned]);
        await AssertDeliveredExactlyAsync(programId, "runners", population, expected);

        var view = Ok(await Services.Campaigns.GetAsync(await Services.ProgramAsync(programId), "runners", default));
        Assert.Equal(CampaignStatus.Completed, view.Campaign.Status);
        var run = Assert.Single(view.Runs);
        Assert.True(run.Complete);
        Assert.Empty(await Services.CampaignScheduler.RunDueAsync());

        var statistics = Ok(await Services.Campaigns.GetStatisticsAsync(await Services.ProgramAsync(programId), "runners", default)).Statistics;
        Assert.Equal(expected.Count, statistics.Reach);
        Assert.Equal(expected.Count, statistics.Email);
    }

    [Fact]
    public async Task A_run_that_crashes_after_writing_members_resumes_without_a_second_delivery()
    {
        var programId = await CreateProgramAsync("crash", shards: 4);
        var population = await EnrolPopulationAsync(programId, 48);
        await CreateAndScheduleAsync(programId, "runners", Clock.GetUtcNow().AddMinutes(1));
        Clock.Advance(TimeSpan.FromMinutes(2));

        var crashing = new CrashingMembers(Port<IMemberStore>(), crashAfterCommits: 2);
        var broken = CreateServices(s => s.AddSingleton<IMemberStore>(crashing));
        await Assert.ThrowsAsync<CrashException>(() => broken.CampaignScheduler.RunDueAsync(new JobRunOptions { Parallelism = 1 }));
        Assert.Equal(2, crashing.Commits);

        var report = Assert.Single(await Services.CampaignScheduler.RunDueAsync());
        var expected = population.Where(p => p.Runner && p.EmailConsent).Select(p => p.MemberId).Order(StringComparer.Ordinal).ToList();
        // The shard whose commit "crashed" before its progress was saved is done again: its members are found applied,
        // and counted as delivered once, by the transaction that delivered them.
        Assert.Equal(expected.Count, report.Counts[CampaignFanOut.Counts.Delivered]);
        Assert.True(report.Counts[BatchCounts.AlreadyApplied] > 0);
        await AssertDeliveredExactlyAsync(programId, "runners", population, expected);
    }

    [Fact]
    public async Task A_run_killed_after_a_commit_then_taken_up_by_two_hosts_at_once_counts_every_delivery_once()
    {
        var programId = await CreateProgramAsync("pair", shards: 4);
        var population = await EnrolPopulationAsync(programId, 48);
        await CreateAndScheduleAsync(programId, "runners", Clock.GetUtcNow().AddMinutes(1));
        Clock.Advance(TimeSpan.FromMinutes(2));

        var crashing = new CrashingMembers(Port<IMemberStore>(), crashAfterCommits: 1);

                   await Assert.ThrowsAsync<CrashException>(() => CreateServices(s => s.AddSingleton<IMemberStore>(crashing))
                       .CampaignScheduler.RunDueAsync(new JobRunOptions { Parallelism = 1 }));
        var run = Assert.Single(await Services.CampaignScheduler.DueAsync(Clock.GetUtcNow(), default));
        var hosts = await Task.WhenAll(
            CreateServices().CampaignScheduler.FanOut.RunAsync(run),
            CreateServices().CampaignScheduler.FanOut.RunAsync(run));

        var expected = population.Where(p => p.Runner && p.EmailConsent).Select(p => p.MemberId).Order(StringComparer.Ordinal).ToList();
        Assert.All(hosts, report => Assert.Equal(expected.Count, report.Counts[CampaignFanOut.Counts.Delivered]));
        var view = Ok(await Services.Campaigns.GetAsync(await Services.ProgramAsync(programId), "runners", default));
        Assert.Equal(expected.Count, Assert.Single(view.Runs).Counts[CampaignFanOut.Counts.Delivered]);
        await AssertDeliveredExactlyAsync(programId, "runners", population, expected);
        var statistics = Ok(await Services.Campaigns.GetStatisticsAsync(await Services.ProgramAsync(programId), "runners", default)).Statistics;
        Assert.Equal(expected.Count, statistics.Email);
    }

    [Fact]
    public async Task Cancelling_a_running_campaign_stops_its_fan_out()
    {
        var programId = await CreateProgramAsync("cancel", shards: 4);
        var population = await EnrolPopulationAsync(programId, 48);
        await CreateAndScheduleAsync(programId, "runners", Clock.GetUtcNow().AddMinutes(1));
        Clock.Advance(TimeSpan.FromMinutes(2));

        var cancelling = new CrashingMembers(Port<IMemberStore>(), crashAfterCommits: null)
        {
            AfterFirstCommit = async () => await Services.Campaigns.CancelAsync(await Services.ProgramAsync(programId), "runners", default),
        };
        var services = CreateServices(s => s.AddSingleton<IMemberStore>(cancelling));
        var report = Assert.Single(await services.CampaignScheduler.RunDueAsync(new JobRunOptions { Parallelism = 1 }));

        Assert.Equal(1, cancelling.Commits);
        // Member ids are random, so the shards run before the first commit may have held no match (about 3 % of runs):
        // at least the last shard, and at most all but the one that committed, find the campaign cancelled.
        Assert.InRange(report.Counts[CampaignFanOut.Counts.Cancelled], 1, 3);
        var delivered = await DeliveredAsync(programId, "runners", population);
        Assert.InRange(delivered.Count, 1, population.Count(p => p.Runner && p.EmailConsent) - 1);
        var program = await Services.ProgramAsync(programId);
        Assert.Equal(CampaignStatus.Cancelled, Ok(await Services.Campaigns.GetAsync(program, "runners", default)).Campaign.Status);
        Assert.Empty(await Services.CampaignScheduler.RunDueAsync());
    }

    /// <summary>
    /// Daily at 02:30 Stockholm time over the night clocks go forward (28 March 2027, 02:00 → 03:00): that night's run
    /// fires once, at 03:00 local (01:00 UTC), and every other night at 02:30 local.
    /// </summary>
    [Fact]
    public async Task A_recurring_campaign_fires_once_each_day_across_the_spring_dst_change()
    {
        Clock.SetUtcNow(new DateTimeOffset(2027, 3, 26, 0, 0, 0, TimeSpan.Zero));
        var programId = await CreateProgramAsync("dst", shards: 1);
        await EnrolPopulationAsync(programId, 4);
        var schedule = new CampaignSchedule
        {
            Kind = ScheduleKind.Annual,
            Time = new TimeOnly(2, 30),
            Dates = [new AnnualDates(new MonthDay(3, 26), new MonthDay(3, 30))],
            StartDate = new DateOnly(2027, 3, 26),
            EndDate = new DateOnly(2027, 3, 30),
        };
        Ok(await Services.Campaigns.CreateAsync(await Services.ProgramAsync(programId), Definition("daily", schedule), default));
        Ok(await Services.Campaigns.ScheduleAsync(await Services.ProgramAsync(programId), "daily", default));

        var fired = new List<(string Run, DateTimeOffset At)>();
        for (var tick = 0; tick < 6 * 24 * 4; tick++)
        {
            foreach (var report in await Services.CampaignScheduler.RunDueAsync())
                fired.Add((CampaignFanOut.RunOf(report.Key).RunId, Clock.GetUtcNow()));
            Clock.Advance(TimeSpan.FromMinutes(15));
        }

        Assert.Equal(["20270326T0230", "20270327T0230", "20270328T0230", "20270329T0230", "20270330T0230"], fired.Select(f => f.Run));
        // Winter time (UTC+1) before the change, summer time (UTC+2) after; the missing 02:30 runs at 03:00 local = 01:00 UTC.
        Assert.Equal(new DateTimeOffset(2027, 3, 27, 1, 30, 0, TimeSpan.Zero), fired[1].At);
        Assert.Equal(new DateTimeOffset(2027, 3, 28, 1, 0, 0, TimeSpan.Zero), fired[2].At);
        Assert.Equal(new DateTimeOffset(2027, 3, 29, 0, 30, 0, TimeSpan.Zero), fired[3].At);
        Assert.Equal(CampaignStatus.Completed, Ok(await Services.Campaigns.GetAsync(await Services.ProgramAsync(programId), "daily", default)).Campaign.Status);
    }

    [Fact]
    public async Task A_members_campaign_offers_are_named_by_their_campaigns_with_one_campaign_read_per_campaign_not_per_delivery()
    {
        var programId = await CreateProgramAsync("offers", shards: 1);
        var member = (await EnrolPopulationAsync(programId, 4)).First(p => p.Runner && p.EmailConsent).MemberId;
        var threeDays = new CampaignSchedule
        {
            Kind = ScheduleKind.Annual,
            Time = new TimeOnly(14, 0),
            Dates = [new AnnualDates(new MonthDay(3, 2), new MonthDay(3, 4))],
            StartDate = new DateOnly(2026, 3, 2),
            EndDate = new DateOnly(2026, 3, 4),
        };
        Ok(await Services.Campaigns.CreateAsync(await Services.ProgramAsync(programId), Definition("days", threeDays) with { Name = "Three days" }, default));
        Ok(await Services.Campaigns.ScheduleAsync(await Services.ProgramAsync(programId), "days", default));
        await CreateAndScheduleAsync(programId, "once", Clock.GetUtcNow().AddMinutes(5));
        for (var tick = 0; tick < 3 * 24 * 4; tick++)
        {
            await Services.CampaignScheduler.RunDueAsync();
            Clock.Advance(TimeSpan.FromMinutes(15));
        }

        var reads = 0;
        var campaigns = Port<ICampaignStore>();
        var counted = CreateServices(s => s.AddSingleton(FailingPort<ICampaignStore>.Wrap(campaigns, method =>
        {
            if (method.Name == nameof(ICampaignStore.GetAsync)) Interlocked.Increment(ref reads);
            return null;
        })));
        var offers = Ok(await counted.SelfService.OffersAsync(await counted.ProgramAsync(programId), member, default)).Campaigns;

        Assert.Equal(["days", "days", "days", "once"], offers.Select(o => o.CampaignId).Order(StringComparer.Ordinal));
        Assert.All(offers, o => Assert.Equal(o.CampaignId == "days" ? "Three days" : "Runners' bonus", o.CampaignName));
        Assert.All(offers, o => Assert.Equal(Bonus, o.PointsEarned));
        Assert.Equal(2, reads);
    }

    [Fact]
    public async Task Purchases_within_the_window_are_attributed_and_a_redeemed_campaign_voucher_counts()
    {
        var programId = await CreateProgramAsync("attr", shards: 2);
        var population = await EnrolPopulationAsync(programId, 12);
        var local = TimeZoneInfo.ConvertTime(Clock.GetUtcNow().AddMinutes(1), TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm"));
        var definition = Definition("vouchers", new CampaignSchedule { Kind = ScheduleKind.Once, Date = DateOnly.FromDateTime(local.DateTime),
            Time = TimeOnly.FromDateTime(local.DateTime) }) with
        {
            Offer = new Offer { Kind = OfferKind.Voucher, Value = 50m, ValidDays = 30 },
            Message = new CampaignMessage { Channel = ConsentChannel.Email, Text = "Hi {firstName}, {voucherValue} off until {validUntil}." },
        };
        Ok(await Services.Campaigns.CreateAsync(await Services.ProgramAsync(programId), definition, default));
        Ok(await Services.Campaigns.ScheduleAsync(await Services.ProgramAsync(programId), "vouchers", default));
        Clock.Advance(TimeSpan.FromMinutes(2));
        var report = Assert.Single(await Services.CampaignScheduler.RunDueAsync());
        var runId = CampaignFanOut.RunOf(report.Key).RunId;
        var reached = population.First(p => p.Runner && p.EmailConsent);
        var other = population.First(p => !p.Runner);

        await ReceiptAsync("r-1", reached.MemberId, 300m, [$"campaign:vouchers:{runId}"]);
        await ReceiptAsync("r-2", other.MemberId, 400m, []);
        Clock.Advance(TimeSpan.FromDays(20));
        await ReceiptAsync("r-3", reached.MemberId, 500m, []);

        var statistics = Ok(await Services.Campaigns.GetStatisticsAsync(await Services.ProgramAsync(programId), "vouchers", default)).Statistics;
        Assert.Equal((1, 1, 300m), (statistics.Redemptions, statistics.AttributedPurchases, statistics.AttributedRevenue));

        async Task ReceiptAsync(string id, string memberId, decimal total, IReadOnlyList<string> vouchers) =>
            Ok(await Services.Receipts.ApplyAsync(await Services.ProgramAsync(programId), new Core.Application.Receipts.PosReceipt
            {
                Id = id,
                PurchasedAt = Clock.GetUtcNow(),
                Member = new MemberIdentifier { MemberId = memberId },
                Currency = "SEK",
                Total = total,
                Lines = [new Core.Application.Receipts.PosLine { Sku = "shoe", Quantity = 1, UnitPrice = total, Amount = total }],
                Vouchers = vouchers,
            }, null, default));
    }

    private async Task CreateAndScheduleAsync(string programId, string campaignId, DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm"));
        var schedule = new CampaignSchedule { Kind = ScheduleKind.Once, Date = DateOnly.FromDateTime(local.DateTime),
            Time = TimeOnly.FromDateTime(local.DateTime) };
        Ok(await Services.Campaigns.CreateAsync(await Services.ProgramAsync(programId), Definition(campaignId, schedule), default));
        Ok(await Services.Campaigns.ScheduleAsync(await Services.ProgramAsync(programId), campaignId, default));
    }

    private static CampaignDefinition Definition(string campaignId, CampaignSchedule schedule) => new()
    {
        CampaignId = campaignId,
        Name = "Runners' bonus",
        Segment = new SegmentDefinition { Interests = ["running"] },
        Offer = new Offer { Kind = OfferKind.BonusPoints, Points = Bonus },
        Message = new CampaignMessage { Channel = ConsentChannel.Email, Text = "Hi {firstName}, {bonusPoints} points for your next run." },
        Schedule = schedule,
    };

    /// <summary>Every third member runs; every fourth has not consented to e-mail.</summary>
    private async Task<List<Enrolled>> EnrolPopulationAsync(string programId, int count)
    {
        var population = new List<Enrolled>();
        for (var i = 0; i < count; i++)
        {
            var (runner, consent) = (i % 3 == 0, i % 4 != 0);
            var member = await EnrolAsync(programId, new EnrolMember
            {
                FirstName = $"M{i}",
                Email = $"m{i}@example.com",
                Interests = runner ? ["running", "outdoor"] : ["cooking"],
                Consents = new Dictionary<ConsentChannel, bool> { [ConsentChannel.Email] = consent },
            });
            population.Add(new Enrolled(member.Profile.MemberId, runner, consent, member.View.Balance));
        }
        return population;
    }

    private async Task AssertDeliveredExactlyAsync(string programId, string campaignId, List<Enrolled> population, List<string> expected)
    {
        Assert.Equal(expected, await DeliveredAsync(programId, campaignId, population));
        foreach (var member in population)
        {
            var details = Ok(await Members.GetAsync(await Services.ProgramAsync(programId), member.MemberId, default));
            Assert.Equal(member.BalanceBefore + (expected.Contains(member.MemberId) ? Bonus : 0), details.View.Balance);
        }
    }

    /// <summary>The members with a CampaignDeliveries row, checked against the audience files (each member in exactly one line).</summary>
    private async Task<List<string>> DeliveredAsync(string programId, string campaignId, List<Enrolled> population)
    {
        var program = Ok(await Services.Programs.GetAsync(programId, default));
        var view = Ok(await Services.Campaigns.GetAsync(await Services.ProgramAsync(programId), campaignId, default));
        var delivered = new List<string>();
        foreach (var run in view.Runs)
            for (var shard = 0; shard < program.Shards; shard++)
                delivered.AddRange((await Port<ICampaignDeliveries>().ListAsync(new CampaignRun(programId, campaignId, run.RunId), shard,
                    default)).Select(d => d.MemberId));

        var lines = new List<string>();
        var container = Account.GetContainer(Storage.Names.CampaignsContainer);
        foreach (var file in await Port<ICampaignDeliveries>().ListExportsAsync(programId, campaignId, default))
        {
            var blob = (await container.GetBlobClient(file[(container.Name.Length + 1)..]).DownloadContentAsync()).Value;
            lines.AddRange(blob.Content.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("memberId").GetString()!));
        }
        Assert.Equal(delivered.Order(StringComparer.Ordinal), lines.Order(StringComparer.Ordinal));
        Assert.All(delivered, id => Assert.Contains(population, p => p.MemberId == id));
        return [.. delivered.Order(StringComparer.Ordinal)];
    }

    private sealed record Enrolled(string MemberId, bool Runner, bool EmailConsent, long BalanceBefore);

    private sealed class CrashException() : Exception("Simulated crash: the transaction committed, the process died before recording it.");

    /// <summary>The member store, counting batch commits; it can "crash" right after one, or run something after the first.</summary>
    private sealed class CrashingMembers(IMemberStore inner, int? crashAfterCommits) : IMemberStore
    {
        private int commits;

        public int Commits => commits;

        public Func<Task>? AfterFirstCommit { get; init; }

        public async Task<IReadOnlyList<CommitResult>> CommitManyAsync(IReadOnlyList<MemberBatchWrite> writes, CancellationToken cancellationToken)
        {
            var results = await inner.CommitManyAsync(writes, CancellationToken.None);
            var count = Interlocked.Increment(ref commits);
            if (count == crashAfterCommits) throw new CrashException();
            if (count == 1 && AfterFirstCommit is { } after) await after();
            return results;
        }

        public Task<StoredMember?> GetAsync(MemberKey key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);
        public Task InsertAsync(MemberKey key, MemberWrite write, CancellationToken cancellationToken) => inner.InsertAsync(key, write, cancellationToken);
        public Task<CommitResult> CommitAsync(MemberKey key, MemberWrite write, string concurrencyToken, CancellationToken cancellationToken) =>
            inner.CommitAsync(key, write, concurrencyToken, cancellationToken);
        public Task<IReadOnlyList<StoredMember>> GetManyAsync(IReadOnlyList<MemberKey> keys, CancellationToken cancellationToken) =>
            inner.GetManyAsync(keys, cancellationToken);
        public Task<CursorPage<StoredMember>> ListShardAsync(string programId, int shard, int pageSize, string? after, CancellationToken cancellationToken) =>
            inner.ListShardAsync(programId, shard, pageSize, after, cancellationToken);
    }
}
