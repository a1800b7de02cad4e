using Microsoft.Extensions.DependencyInjection;
using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Data.Tables;
using Counts = Loyalty.Core.Application.Jobs.NightlyReview.Counts;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Demo;
using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Application.Receipts;
using Loyalty.Core.Events;
using Loyalty.Core.Ledger;
using Loyalty.Core.Members;
using Loyalty.Core.Programs;
using Loyalty.Core.Receipts;
using Loyalty.Core.Serialization;
using Loyalty.Core.Tiers;
using Loyalty.Core.Vouchers;
using Loyalty.Storage.Repositories;
using Loyalty.Storage.Tables;
using Loyalty.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Loyalty.Application.Tests.Jobs;

/// <summary>
/// The nightly review against Azurite: members written straight through the store (fast), the job run by the local
/// runner, and every result checked against the pure domain (<see cref="MemberReview.ReviewAt"/> per member).
/// </summary>
public sealed class NightlyReviewTests(ITestOutputHelper output) : LoyaltyStorageTest
{
    /// <summary>The night of the calendar-year window end: the review of 1 January closes 2026.</summary>
    private static readonly DateOnly Night = new(2027, 1, 1);
    private static readonly DateTimeOffset NightAt = new(2027, 1, 1, 2, 0, 0, TimeSpan.FromHours(1));
    private static readonly DateTimeOffset SeededAt = new(2026, 12, 31, 12, 0, 0, TimeSpan.FromHours(1));
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    [Fact]
    public async Task Every_policy_gives_exactly_the_domain_result_reading_only_the_members_due_and_a_second_run_does_nothing()
    {
        var random = new Random(20270101);
        var programs = new (string Id, TierPolicy Policy, QualificationPeriod Period)[]
        {
            ("hold", TierPolicy.HoldThroughNextPeriod, new(PeriodKind.CalendarYear, 12)),
            ("reset", TierPolicy.ResetToBase, new(PeriodKind.CalendarYear, 24)),
            ("drop", TierPolicy.DropOneTier, new(PeriodKind.CalendarYear, 12)),
            ("rolling", TierPolicy.RollingWindow, new(PeriodKind.Rolling, 12)),
            ("anniversary", TierPolicy.HoldThroughNextPeriod, new(PeriodKind.Anniversary, 12)),
        };
        var clock = Stopwatch.StartNew();
        var seeded = new List<Seeded>();
        foreach (var (id, policy, period) in programs)
            seeded.AddRange(await SeedAsync(Definition(id, policy, period), members: 400, shards: 8, random));
        output.WriteLine($"seeded {seeded.Count:N0} members in {clock.Elapsed.TotalSeconds:F1} s");

        var due = seeded.Where(m => m.FiledOn <= Night).ToList();
        var notDue = seeded.Except(due).ToList();
        Assert.InRange(due.Count, 1_000, 1_900);
        Assert.True(notDue.Count >= 100, $"only {notDue.Count} members are not due: the population tests too little");
        var downgrades = Enum.GetValues<TierPolicy>()
            .ToDictionary(p => p, p => due.Count(m => m.Program.Definition.TierPolicy == p && m.Expected.Events.Any(e => e is TierDowngraded)));
        Assert.True(downgrades.Values.All(n => n > 0), $"every policy needs downgrades to test: {string.Join(", ", downgrades)}");

        var spy = new Spy(Services);
        var services = CreateServices(spy.Replace);
        Clock.SetUtcNow(NightAt);
        Assert.Equal(programs.Select(p => new NightlyRun(p.Id, Night)), (await services.Nightly.DueAsync(Clock.GetUtcNow(), default))
            .OrderBy(r => Array.FindIndex(programs, p => p.Id == r.ProgramId)));

        clock.Restart();
        var reports = await services.Nightly.RunDueAsync(new JobRunOptions { Parallelism = 4 });
        var elapsed = clock.Elapsed;
        var totals = JobCounts.Sum(reports.Select(r => r.Counts));
        output.WriteLine($"reviewed {due.Count:N0} of {seeded.Count:N0} members in {elapsed.TotalSeconds:F1} s " +
            $"({due.Count / elapsed.TotalSeconds:N0} members/s): {totals}");

        // Exactly the pure domain's answer, member by member, and each filed under its next date.
        var stored = await ReadAllAsync(seeded);
        var wrong = seeded.Where(m => Json(stored[m.Key.MemberId].State) != Json(m.ExpectedState) || stored[m.Key.MemberId].ReviewOn != m.ExpectedFiledOn)
            .Select(m => $"{m.Program.ProgramId}/{m.Key.MemberId}: tier {stored[m.Key.MemberId].State.Tier}, expected {m.ExpectedState.Tier}; filed " +
                $"{stored[m.Key.MemberId].ReviewOn}, expected {m.ExpectedFiledOn}")
            .ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} members differ from the domain, e.g. {string.Join("; ", wrong.Take(5))}");
        Assert.DoesNotContain(due, m => stored[m.Key.MemberId].ReviewOn <= Night);

        // Only the members due were read, each once; nobody else was written.
        Assert.Equal(due.Select(m => m.Key.MemberId).Order(), spy.Read.Order());
        Assert.Equal(due.Select(m => m.Key.MemberId).Order(), spy.Committed.Order());

        Assert.Equal(due.Count, totals[Counts.Reviewed]);
        Assert.Equal(due.Count(m => m.Expected.Events.Any(e => e is TierDowngraded)), totals[Counts.Downgraded]);
        Assert.Equal(due.Sum(m => -m.Expected.Ledger.Where(e => e.Kind == LedgerKind.Expired).Sum(e => e.Points)), totals[Counts.PointsExpired]);
        Assert.Equal(due.Count(m => m.Expected.State.WindowStart != m.State.WindowStart), totals[Counts.WindowsClosed]);
        Assert.Equal(due.Count(m => m.Expected.Events.Count > 0), totals[Counts.Notifications]);
        Assert.Equal(0, totals[Counts.Conflicts] + totals[Counts.Skipped] + totals[Counts.DeliveryDeferred]);

        // Tier changes went out through the outbox, once per member, with the domain's ids; the outbox is empty again.
        Assert.Equal(due.Where(m => m.Expected.Events.Count > 0).Select(m => $"{m.Program.ProgramId}/{m.Key.MemberId}/review:2027-01-01").Order(),
            spy.Sent.Select(n => n.Id).Order());
        Assert.Equal(due.SelectMany(m => m.Expected.Events.OfType<TierDowngraded>()).Select(e => e.Id).Order(),
            spy.Sent.SelectMany(n => n.Events.OfType<TierDowngraded>()).Select(e => e.Id).Order());
        foreach (var (id, _, _) in programs)
            for (var shard = 0; shard < 8; shard++)
                Assert.Empty(await Port<IMemberOutbox>().ListOutboxAsync(id, 8, shard, default));

        // Run twice = once: the runs are complete, so nothing is due and nothing runs.
        spy.Reset();
        Assert.Empty(await services.Nightly.DueAsync(Clock.GetUtcNow(), default));
        var again = await services.Nightly.RunAsync("hold", Night);
        Assert.True(again.AlreadyComplete);
        Assert.True(again.ThisRun.IsZero);
        Assert.Equal(reports.Single(r => r.Key.ProgramId == "hold").Counts, again.Counts);

        // Even with its progress lost, the same night finds nobody due any more and changes nothing.
        await ClearProgressAsync();
        var rerun = JobCounts.Zero;
        foreach (var (id, _, _) in programs) rerun += (await services.Nightly.RunAsync(id, Night)).ThisRun;
        Assert.True(rerun.IsZero, rerun.ToString());
        Assert.Empty(spy.Read);
        Assert.Empty(spy.Committed);
        var after = await ReadAllAsync(seeded);
        Assert.All(seeded, m => Assert.Equal(stored[m.Key.MemberId].ConcurrencyToken, after[m.Key.MemberId].ConcurrencyToken));
    }

    [Fact]
    public async Task Cancelled_and_crashed_runs_resume_and_review_every_member_exactly_once()
    {
        var definition = Definition("crash", TierPolicy.DropOneTier, new QualificationPeriod(PeriodKind.CalendarYear, 12));
        var seeded = await SeedAsync(definition, members: 600, shards: 4, new Random(7));
        var due = seeded.Where(m => m.FiledOn <= Night).ToList();
        Assert.True(due.GroupBy(m => m.Shard).All(s => s.Count() > 100), "every shard needs more than one chunk of members due");
        Clock.SetUtcNow(NightAt);

        // 1. Cancelled as soon as the first shard has finished (an operator stopping the host).
        var first = new Spy(Services);
        using (var cancel = new CancellationTokenSource())
        {
            var services = CreateServices(first.Replace);
            var progress = new Inline(status => { if (status.Shard is not null) cancel.Cancel(); });
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                services.Nightly.RunAsync("crash", Night, new JobRunOptions { Parallelism = 2 }, progress, cancel.Token));
        }

        // 2. Crashed right after a transaction committed, before its progress was recorded (the worst moment).
        var second = new Spy(Services) { CrashAfterCommits = 2 };
        var crashing = CreateServices(second.Replace);
        await Assert.ThrowsAsync<CrashException>(() => crashing.Nightly.RunAsync("crash", Night, new JobRunOptions { Parallelism = 1 }));
        var finishedBefore = (await Port<IJobProgressStore>().ListShardsAsync(NightlyReview.Key("crash", Night),
            default)).Where(p => p.Finished).Select(p => p.Shard).ToList();
        Assert.NotEmpty(finishedBefore);
        Assert.True(finishedBefore.Count < 4);

        // 3. A new process finishes the job, skipping the shards already finished.
        var third = new Spy(Services);
        var resumed = CreateServices(third.Replace);
        var report = await resumed.Nightly.RunAsync("crash", Night);
        Assert.Equal(finishedBefore.Count, report.ShardsSkipped);
        Assert.Empty(third.Listed.Intersect(finishedBefore));
        // What the crash left in the outbox (committed, not yet sent) goes out with the outbox sweep, as after any crash.
        var left = 0;
        for (var shard = 0; shard < 4; shard++) left += (await Port<IMemberOutbox>().ListOutboxAsync("crash", 4, shard, default)).Count;
        Clock.Advance(OutboxSweep.MinimumAge * 2);
        var swept = await resumed.Outbox.RunAsync(default);
        Assert.Equal(left, swept);
        output.WriteLine($"outbox left {left}, swept {swept}; sent {first.Sent.Count} + {second.Sent.Count} + {third.Sent.Count}");

        // Every member due written exactly once over the three runs, none twice, and each with the domain's result.
        var writes = first.Committed.Concat(second.Committed).Concat(third.Committed).GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(due.Select(m => m.Key.MemberId).Order(), writes.Keys.Order());
        Assert.All(writes, w => Assert.Equal(1, w.Value));
        Assert.NotEmpty(first.Committed);
        Assert.NotEmpty(second.Committed);
        Assert.NotEmpty(third.Committed);
        var stored = await ReadAllAsync(seeded);
        Assert.All(seeded, m => Assert.Equal(Json(m.ExpectedState), Json(stored[m.Key.MemberId].State)));
        Assert.Equal(due.Count(m => m.Expected.Events.Count > 0), first.Sent.Concat(second.Sent).Concat(third.Sent).DistinctBy(n => n.Id).Count());

        // The counts survive the restarts, the chunk whose commit the crash cut off from its progress row included.
        var reviewed = report.Counts[Counts.Reviewed];
        Assert.Equal(due.Count, reviewed);
        output.WriteLine($"{due.Count} due; runs wrote {first.Committed.Count} + {second.Committed.Count} + " +
            $"{third.Committed.Count}; recorded {reviewed} reviewed");
    }

    [Fact]
    public async Task A_run_killed_between_a_commit_and_its_progress_row_then_taken_up_by_two_hosts_at_once_counts_every_review_once()
    {
        var definition = Definition("pair", TierPolicy.DropOneTier, new QualificationPeriod(PeriodKind.CalendarYear, 12));
        var seeded = await SeedAsync(definition, members: 600, shards: 4, new Random(11));
        var due = seeded.Where(m => m.FiledOn <= Night).ToList();
        Assert.True(due.GroupBy(m => m.Shard).All(s => s.Count() > 100), "every shard needs more than one chunk of members due");
        Clock.SetUtcNow(NightAt);

        var killed = new Spy(Services) { CrashAfterCommits = 1 };
        await Assert.ThrowsAsync<CrashException>(() => CreateServices(killed.Replace).Nightly.RunAsync("pair", Night, new JobRunOptions { Parallelism = 1 }));
        var (one, two) = (new Spy(Services), new Spy(Services));
        var reports = await Task.WhenAll(
            CreateServices(one.Replace).Nightly.RunAsync("pair", Night),
            CreateServices(two.Replace).Nightly.RunAsync("pair", Night));

        var committed = killed.Committed.Concat(one.Committed).Concat(two.Committed).ToList();
        Assert.Equal(due.Select(m => m.Key.MemberId).Order(), committed.Order());
        var totals = await Port<IJobProgressStore>().GetTotalsAsync(NightlyReview.Key("pair", Night), default);
        Assert.NotNull(totals);
        foreach (var counts in reports.Select(r => r.Counts).Append(totals.Counts))
        {
            Assert.Equal(due.Count, counts[Counts.Reviewed]);
            Assert.Equal(due.Count(m => m.Expected.Events.Any(e => e is TierDowngraded)), counts[Counts.Downgraded]);
            Assert.Equal(due.Count(m => m.Expected.Events.Count > 0), counts[Counts.Notifications]);
        }
        var shards = await Port<IJobProgressStore>().ListShardsAsync(NightlyReview.Key("pair", Night), default);
        Assert.Equal(due.Count, shards.Sum(s => s.Counts[Counts.Reviewed]));
    }

    [Fact]
    public async Task A_member_changed_during_the_night_is_reviewed_on_its_own_and_keeps_the_change()
    {
        var definition = Definition("busy", TierPolicy.ResetToBase, new QualificationPeriod(PeriodKind.CalendarYear, 12));
        var seeded = await SeedAsync(definition, members: 40, shards: 1, new Random(3));
        var due = seeded.Where(m => m.FiledOn <= Night).ToList();
        var busy = due[due.Count / 2];

        // An index entry whose member is gone (removed without it): cleared, not tripped over every night.
        var members = Storage.Account.GetTable(Storage.Names.Members);
        await members.AddEntityAsync(new TableEntity("busy|0000", $"n|20261215|{"ghost".PadRight(12, 'z')}"));

        // A member enrolled through the service is filed under its welcome voucher's expiry.
        Clock.SetUtcNow(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.FromHours(1)));
        var enrolled = await EnrolAsync("busy");
        var key = new MemberKey("busy", 1, enrolled.Profile.MemberId);
        Assert.Equal(new DateOnly(2026, 12, 21), (await Port<IMemberStore>().GetAsync(key, default))!.ReviewOn);

        // A purchase through the receipts service re-files its member in the same write.
        Clock.Advance(TimeSpan.FromDays(1));
        var buyer = (await EnrolAsync("busy", new EnrolMember { FirstName = "Bo", Phone = "+46701234567" })).Profile.MemberId;
        var receipt = new PosReceipt
        {
            Id = "r-1",
            StoreId = "store-1",
            PurchasedAt = Clock.GetUtcNow().AddMinutes(-1),
            Member = new MemberIdentifier { Phone = "+46701234567" },
            Currency = "SEK",
            Total = 6_000m,
            Lines = [new PosLine { Sku = "toy", Category = "toys", Quantity = 1, Amount = 6_000m }],
        };
        Assert.Equal(ReceiptStatus.Applied, Ok(await Services.Receipts.ApplyAsync(await Services.ProgramAsync("busy"), receipt, null, default)).Status);
        var buyerKey = new MemberKey("busy", 1, buyer);
        var bought = (await Port<IMemberStore>().GetAsync(buyerKey, default))!;
        Assert.Equal("Silver", bought.State.Tier);
        Assert.Equal(MemberReview.NextReviewOn(bought.State, ProgramCatalog.Create(definition).Value, Clock.GetUtcNow()), bought.ReviewOn);
        var expectedBuyer = MemberReview.ReviewAt(bought.State, ProgramCatalog.Create(definition).Value.Latest, Night).State;
        await DrainNotificationsAsync();

        // Between the job's read and its write, another request changes the busy member (a new phone number, say).
        var spy = new Spy(Services)
        {
            BeforeCommit = async () =>
            {
                var member = (await Port<IMemberStore>().GetAsync(busy.Key, default))!;
                var write = new MemberWrite(member.Profile with { FirstName = "Changed" }, member.State, member.Activity, Clock.GetUtcNow(), member.ReviewOn);
                Assert.Equal(CommitResult.Committed, await Port<IMemberStore>().CommitAsync(busy.Key, write, member.ConcurrencyToken, default));
            },
        };
        Clock.SetUtcNow(NightAt);
        var report = await CreateServices(s => s.AddSingleton<IMemberStore>(spy).AddSingleton<IReviewStore>(spy)).Nightly.RunAsync("busy", Night);

        Assert.Equal((1L, 1L), (report.Counts[Counts.Conflicts], report.Counts[Counts.Skipped]));
        Assert.Equal(due.Count + 2, report.Counts[Counts.Reviewed]);
        Assert.Equal(("Bronze", Json(expectedBuyer)), ((await Port<IMemberStore>().GetAsync(buyerKey, default))!.State.Tier,
            Json((await Port<IMemberStore>().GetAsync(buyerKey, default))!.State)));
        var after = (await Port<IMemberStore>().GetAsync(busy.Key, default))!;
        Assert.Equal("Changed", after.Profile.FirstName);
        Assert.Equal(Json(busy.ExpectedState), Json(after.State));
        Assert.Null(await members.GetOrNullAsync<TableEntity>("busy|0000", $"n|20261215|{"ghost".PadRight(12, 'z')}"));
        var welcomed = (await Port<IMemberStore>().GetAsync(key, default))!;
        Assert.Empty(welcomed.State.Vouchers);
        Assert.Equal(Night, welcomed.State.ReviewedOn);
        Assert.Null(welcomed.ReviewOn);

        // Sent to the real notifications queue, and cleared from the outbox.
        Assert.Equal(report.Counts[Counts.Notifications], (await DrainNotificationsAsync()).Count);
        Assert.Empty(await Port<IMemberOutbox>().ListOutboxAsync("busy", 1, 0, default));
    }

    [Fact]
    public async Task Profiles_are_read_as_one_range_where_the_members_wanted_are_dense_and_one_by_one_where_sparse()
    {
        var seeded = await SeedAsync(Definition("reads", TierPolicy.HoldThroughNextPeriod, new QualificationPeriod(PeriodKind.CalendarYear, 12)), members: 300,
            shards: 1, new Random(5));
        var keys = seeded.Select(m => m.Key).OrderBy(k => k.MemberId, StringComparer.Ordinal).ToList();
        var recorder = new RecordingPolicy();
        var store = new ServiceCollection().AddLoyaltyStorage(recorder.Account(Loyalty.Testing.Azurite.ConnectionString), Storage.Names).BuildServiceProvider()
            .GetRequiredService<IMemberStore>();

        // Dense (a chunk of the night a calendar year ends): one query, no point reads.
        var dense = keys.Skip(50).Take(200).ToList();
        Assert.Equal(dense.Select(k => k.MemberId), (await store.GetManyAsync(dense, default)).Select(m => m.Profile.MemberId));
        Assert.Equal(["GET"], recorder.Requests.Select(r => r.Method));
        Assert.Contains("$filter", recorder.Requests[0].Uri.Query, StringComparison.Ordinal);

        // Sparse (one in fifteen), plus one that does not exist: a small probe page, then only the members wanted, point by point.
        var sparse = keys.Where((_, i) => i % 15 == 7).Append(new MemberKey("reads", 1, "zzzzzzzzzzzz")).ToList();
        var before = recorder.Requests.Count;
        Assert.Equal(sparse.SkipLast(1).Select(k => k.MemberId), (await store.GetManyAsync(sparse, default)).Select(m => m.Profile.MemberId));
        var requests = recorder.Requests.Skip(before).ToList();
        Assert.Single(requests, r => r.Uri.Query.Contains("$filter", StringComparison.Ordinal));
        var pointReads = requests.Where(r => !r.Uri.Query.Contains("$filter", StringComparison.Ordinal)).Select(r => Uri.UnescapeDataString(r.Uri.AbsolutePath))
            .ToList();
        Assert.InRange(pointReads.Count, sparse.Count - 10, sparse.Count);
        Assert.All(pointReads, path => Assert.Contains(sparse, k => path.Contains($"p|{k.MemberId}", StringComparison.Ordinal)));
    }

    private static ProgramDefinition Definition(string programId, TierPolicy policy, QualificationPeriod period) =>
        DemoProgram.Definition(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)) with
        {
            ProgramId = programId,
            TierPolicy = policy,
            Qualification = period,
            BirthdayReward = new Reward { Value = 100m, ValidDays = 30 },
        };

    /// <summary>
    /// Members with a history: enrolled between mid-2024 and the end of 2026, some with a birthday, up to five purchases
    /// (so every tier, carried tiers, point lots, vouchers), built with the pure domain and written in bulk through the store.
    /// </summary>
    private async Task<List<Seeded>> SeedAsync(ProgramDefinition definition, int members, int shards, Random random)
    {
        Ok(await Services.Programs.CreateAsync(new CreateProgram { Definition = definition, Name = definition.ProgramId, Shards = shards }, default));
        var catalog = ProgramCatalog.Create(definition).Value;
        var program = catalog.Latest;
        var seeded = new List<Seeded>(members);
        var writes = new List<MemberBatchWrite>(members);
        var first = new DateOnly(2024, 6, 1).DayNumber;
        var last = new DateOnly(2026, 12, 30).DayNumber;
        for (var i = 0; i < members; i++)
        {
            var memberId = string.Concat(Enumerable.Range(0, 12).Select(_ => Alphabet[random.Next(Alphabet.Length)]));
            var enrolledOn = DateOnly.FromDayNumber(random.Next(first, last));
            DateOnly? birthday = random.Next(2) == 0 ? new DateOnly(1980 + random.Next(30), random.Next(1, 13), random.Next(1, 29)) : null;
            var book = MemberBook.Enrol(program, memberId, enrolledOn, birthday).Value.Book;
            var days = Enumerable.Range(0, random.Next(6)).Select(_ => random.Next(enrolledOn.DayNumber, last + 1)).Order().ToList();
            foreach (var (day, n) in days.Select((d, n) => (d, n)))
            {
                var at = new DateTimeOffset(DateOnly.FromDayNumber(day).ToDateTime(new TimeOnly(12, 0)), TimeSpan.FromHours(1));
                var amount = random.Next(1, 90) * 100m;
                var receipt = new Receipt
                {
                    Id = $"{memberId}-{n}",
                    MemberId = memberId,
                    PurchasedAt = at,
                    Currency = "SEK",
                    Total = amount,
                    Lines = [new ReceiptLine("toy", "toys", 1, amount)],
                };
                book = Ok(book.Apply(receipt, catalog, at.AddMinutes(1))).Book;
            }
            var key = new MemberKey(definition.ProgramId, shards, memberId);
            var state = book.State;
            var filed = MemberReview.NextReviewOn(state, catalog, SeededAt);
            var profile = new MemberProfile { MemberId = memberId, CardNumber = $"card{i:D6}", EnrolledAt = SeededAt, BirthDate = birthday };
            writes.Add(new MemberBatchWrite(key, new MemberWrite(profile, state, new MemberActivity(), SeededAt, filed), null));

            var expected = filed <= Night ? MemberReview.ReviewAt(state, program, Night) : new Transition(state, [], [], null!);
            var expectedFiled = filed <= Night ? MemberReview.NextReviewOn(expected.State, catalog, NightAt) : filed;
            seeded.Add(new Seeded(program, key, MemberShards.Shard(memberId, shards), state, filed, expected, expectedFiled));
        }
        Assert.All(await Port<IMemberStore>().CommitManyAsync(writes, default), r => Assert.Equal(CommitResult.Committed, r));
        return seeded;
    }

    private async Task<Dictionary<string, StoredMember>> ReadAllAsync(IEnumerable<Seeded> members) =>
        (await Port<IMemberStore>().GetManyAsync([.. members.Select(m => m.Key)], default)).ToDictionary(m => m.Profile.MemberId);

    private async Task ClearProgressAsync()
    {
        var table = Storage.Account.GetTable(Storage.Names.JobProgress);
        await foreach (var row in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey);
    }

    private static string Json(MemberState state) => LoyaltyJson.Serialize(state);

    private sealed record Seeded(CompiledProgram Program, MemberKey Key, int Shard, MemberState State, DateOnly? FiledOn, Transition Expected,
        DateOnly? ExpectedFiledOn)
    {
        public MemberState ExpectedState => Expected.State;
    }

    private sealed class CrashException() : Exception("Simulated crash: the transaction committed, the process died before recording it.");

    private sealed class Inline(Action<JobStatus> report) : IProgress<JobStatus>
    {
        public void Report(JobStatus value) => report(value);
    }

    /// <summary>
    /// Wraps the member store, the review index and the notifications queue: records which members were read and
    /// written, which shards were listed, what was sent; and can change a member just before a batch commit or
    /// "crash" right after one.
    /// </summary>
    private sealed class Spy : IMemberStore, IReviewStore, INotificationQueue
    {
        private readonly IMemberStore members;
        private readonly IReviewStore reviews;
        private readonly ConcurrentQueue<string> read = new();
        private readonly ConcurrentQueue<string> committed = new();
        private readonly ConcurrentQueue<int> listed = new();
        private readonly ConcurrentQueue<Notification> sent = new();
        private int commits;
        private int beforeCommitDone;

        public Spy(IServiceProvider inner)
        {
            members = inner.GetRequiredService<IMemberStore>();
            reviews = inner.GetRequiredService<IReviewStore>();
        }

        /// <summary>Registers the spy in place of the ports it wraps.</summary>
        public void Replace(IServiceCollection services) =>
            services.AddSingleton<IMemberStore>(this).AddSingleton<IReviewStore>(this).AddSingleton<INotificationQueue>(this);

        /// <summary>Throw after this many successful batch commits.</summary>
        public int? CrashAfterCommits { get; init; }

        /// <summary>Runs once, before the first batch commit.</summary>
        public Func<Task>? BeforeCommit { get; set; }

        public IReadOnlyList<string> Read => [.. read];
        public IReadOnlyList<string> Committed => [.. committed];
        public IReadOnlyList<int> Listed => [.. listed];
        public IReadOnlyList<Notification> Sent => [.. sent];

        public void Reset()
        {
            read.Clear();
            committed.Clear();
            listed.Clear();
            sent.Clear();
        }

        public Task<StoredMember?> GetAsync(MemberKey key, CancellationToken cancellationToken)
        {
            read.Enqueue(key.MemberId);
            return members.GetAsync(key, cancellationToken);
        }

        public Task<IReadOnlyList<StoredMember>> GetManyAsync(IReadOnlyList<MemberKey> keys, CancellationToken cancellationToken)
        {
            foreach (var key in keys) read.Enqueue(key.MemberId);
            return members.GetManyAsync(keys, cancellationToken);
        }

        public async Task<IReadOnlyList<CommitResult>> CommitManyAsync(IReadOnlyList<MemberBatchWrite> writes, CancellationToken cancellationToken)
        {
            if (Interlocked.Exchange(ref beforeCommitDone, 1) == 0 && BeforeCommit is { } before) await before();
            // Not cancelled half-way by the test's own cancellation: what reached the store is what is counted.
            var results = await members.CommitManyAsync(writes, CancellationToken.None);
            for (var i = 0; i < writes.Count; i++)
                if (results[i] == CommitResult.Committed) committed.Enqueue(writes[i].Key.MemberId);
            if (Interlocked.Increment(ref commits) == CrashAfterCommits) throw new CrashException();
            return results;
        }

        public Task<CursorPage<StoredMember>> ListShardAsync(string programId, int shard, int pageSize, string? after, CancellationToken cancellationToken) =>
            members.ListShardAsync(programId, shard, pageSize, after, cancellationToken);

        public async Task<CommitResult> CommitAsync(MemberKey key, MemberWrite write, string concurrencyToken, CancellationToken cancellationToken)
        {
            var result = await members.CommitAsync(key, write, concurrencyToken, CancellationToken.None);
            if (result == CommitResult.Committed) committed.Enqueue(key.MemberId);
            return result;
        }

        public Task InsertAsync(MemberKey key, MemberWrite write, CancellationToken cancellationToken) => members.InsertAsync(key, write, cancellationToken);

        public Task<IReadOnlyList<FiledMember>> ListDueAsync(string programId, int shard, DateOnly date, CancellationToken cancellationToken)
        {
            listed.Enqueue(shard);
            return reviews.ListDueAsync(programId, shard, date, cancellationToken);
        }

        public Task RemoveAsync(string programId, int shard, FiledMember entry, CancellationToken cancellationToken) =>
            reviews.RemoveAsync(programId, shard, entry, cancellationToken);

        /// <summary>Kept in memory: faster than the queue, and the ids can be checked.</summary>
        public Task SendAsync(IReadOnlyList<Notification> notifications, CancellationToken cancellationToken)
        {
            foreach (var notification in notifications) sent.Enqueue(notification);
            return Task.CompletedTask;
        }
    }
}
