using System.Text.Json;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Campaigns;
using Loyalty.Core.Application.Demo;
using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Campaigns;
using Loyalty.Core.Events;
using Loyalty.Core.Members;
using Loyalty.Core.Programs;
using Loyalty.Core.Receipts;
using Loyalty.Core.Segments;
using Loyalty.Core.Serialization;
using Loyalty.Storage.InMemory;
using Loyalty.Storage.Queues;
using Loyalty.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Loyalty.Application.Tests.InMemory;

/// <summary>
/// The nightly review, the campaign fan-out and the member store's rules, one body run on two storages: the Table,
/// Queue and Blob stores on Azurite, and the in-memory ports the benchmark runs a million members on. What passes on
/// both is what the benchmark's in-memory numbers may be trusted for.
/// </summary>
public abstract class BatchJobsOnEitherStorage : LoyaltyStorageTest
{
    private static readonly DateOnly Night = new(2027, 1, 1);
    private static readonly DateTimeOffset SeededAt = new(2026, 12, 31, 12, 0, 0, TimeSpan.FromHours(1));
    private static readonly DateTimeOffset NightAt = new(2027, 1, 1, 2, 0, 0, TimeSpan.FromHours(1));
    private const int Shards = 8;

    private IServiceProvider? jobs;

    /// <summary>
    /// A container as the hosts build it over the storage under test and this test's clock; <paramref name="replace"/>
    /// registers what the test substitutes, which wins.
    /// </summary>
    protected abstract IServiceProvider CreateJobs(Action<IServiceCollection>? replace = null);

    /// <summary>Takes every notification off the storage's notifications queue.</summary>
    protected abstract Task<IReadOnlyList<Notification>> DrainAsync();

    /// <summary>An audience file's text, by the name the deliveries store listed it under.</summary>
    protected abstract Task<string> ReadFileAsync(string name);

    private IServiceProvider Jobs => jobs ??= CreateJobs();

    private T Store<T>() where T : notnull => Jobs.GetRequiredService<T>();

    [Fact]
    public async Task The_nightly_review_gives_the_domain_result_to_every_member_due_once_and_a_second_run_does_nothing()
    {
        // Every fourth member bought in 2025 only, reaching a tier it holds through 2026 and loses that night; the others buy in 2026.
        var (program, seeded) = await SeedAsync("night", 240, (i, book, catalog) => Enumerable.Range(0, 1 + i % 4).Aggregate(book, (b, n) =>
        {
            var at = new DateTimeOffset(i % 4 == 0 ? 2025 : 2026, 3, 1, 12, 0, 0, TimeSpan.FromHours(1)).AddDays(40 * n + i % 20);
            var amount = 1_500m * (i % 7 + 1);
            var receipt = new Receipt
            {
                Id = $"r{i}-{n}", MemberId = b.State.MemberId, PurchasedAt = at, Currency = "SEK", Total = amount,
                Lines = [new ReceiptLine("toy", "toys", 1, amount)],
            };
            return Ok(b.Apply(receipt, catalog, at.AddMinutes(1))).Book;
        }), _ => [], _ => false);
        var due = seeded.Where(m => m.FiledOn <= Night).ToList();
        Assert.InRange(due.Count, 100, seeded.Count);
        Assert.Contains(due, m => MemberReview.ReviewAt(m.State, program, Night).Events.Any(e => e is TierDowngraded));

        Clock.SetUtcNow(NightAt);
        var report = await Jobs.Nightly.RunAsync("night", Night, new JobRunOptions { Parallelism = 3 });

        Assert.Equal(due.Count, report.Counts[NightlyReview.Counts.Reviewed]);
        var stored = (await Store<IMemberStore>().GetManyAsync([.. seeded.Select(m => m.Key)], default)).ToDictionary(m => m.Profile.MemberId);
        var catalog = ProgramCatalog.Create(program.Definition).Value;
        foreach (var member in seeded)
        {
            var expected = member.FiledOn <= Night ? MemberReview.ReviewAt(member.State, program, Night).State : member.State;
            Assert.Equal(LoyaltyJson.Serialize(expected), LoyaltyJson.Serialize(stored[member.Key.MemberId].State));
            var reviewOn = member.FiledOn <= Night ? MemberReview.NextReviewOn(expected, catalog, NightAt) : member.FiledOn;
            Assert.Equal(reviewOn, stored[member.Key.MemberId].ReviewOn);
        }
        var told = due.Where(m => MemberReview.ReviewAt(m.State, program, Night).Events.Count > 0).Select(m => m.Key.MemberId).Order(StringComparer.Ordinal);
        Assert.Equal(told, (await DrainAsync()).Select(n => n.MemberId).Order(StringComparer.Ordinal));
        for (var shard = 0; shard < Shards; shard++)
        {
            Assert.Empty(await Store<IReviewStore>().ListDueAsync("night", shard, Night, default));
            Assert.Empty(await Store<IMemberOutbox>().ListOutboxAsync("night", Shards, shard, default));
        }

        // Every shard counted once that night, the reviewed state included: a row per shard, every member in one of them.
        var figures = await Store<IFiguresStore>().ListAsync("night", Night, default);
        Assert.Equal(Enumerable.Range(0, Shards), figures.Select(f => f.Shard).Order());
        Assert.All(figures, f => Assert.Equal(Night, f.Night));
        Assert.Equal(seeded.Count, figures.Sum(f => f.Enrolled));
        Assert.Equal(stored.Values.Sum(m => Math.Max(m.State.Balance, 0)), figures.Sum(f => f.Points));

        var again = await Jobs.Nightly.RunAsync("night", Night);
        Assert.True(again.AlreadyComplete);
        Assert.True(again.ThisRun.IsZero);
        Assert.Equal(report.Counts, again.Counts);
        Assert.Equal(Shards, (await Store<IFiguresStore>().ListAsync("night", Night, default)).Count);
    }

    [Fact]
    public async Task A_fan_out_that_crashes_resumes_and_delivers_once_to_every_member_of_the_segment_and_nobody_else()
    {
        var (_, seeded) = await SeedAsync("fan", 160, (_, book, _) => book, i => i % 3 == 0 ? ["cats"] : ["dogs"], i => i % 4 != 0);
        var audience = seeded.Where(m => m.Number % 3 == 0 && m.Number % 4 != 0).Select(m => m.Key.MemberId).Order(StringComparer.Ordinal).ToList();
        var local = TimeZoneInfo.ConvertTime(Clock.GetUtcNow().AddMinutes(2), TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm"));
        var schedule = new CampaignSchedule
        {
            Kind = ScheduleKind.Once, Date = DateOnly.FromDateTime(local.DateTime), Time = TimeOnly.FromDateTime(local.DateTime),
        };
        Ok(await Jobs.Campaigns.CreateAsync(await Jobs.ProgramAsync("fan"), new CampaignDefinition
        {
            CampaignId = "cat-food",
            Name = "Cat food",
            Segment = new SegmentDefinition { Interests = ["cats"] },
            Offer = new Offer { Kind = OfferKind.BonusPoints, Points = 150 },
            Message = new CampaignMessage { Channel = ConsentChannel.Email, Text = "Hi {firstName}, {bonusPoints} points." },
            Schedule = schedule,
        }, default));
        Ok(await Jobs.Campaigns.ScheduleAsync(await Jobs.ProgramAsync("fan"), "cat-food", default));
        Clock.Advance(TimeSpan.FromMinutes(3));

        var crashing = CreateJobs(services => services.AddSingleton<IMemberStore>(new CrashingMembers(Store<IMemberStore>())));
        await Assert.ThrowsAsync<CrashException>(() => crashing.CampaignScheduler.RunDueAsync(new JobRunOptions { Parallelism = 1 }));
        var report = Assert.Single(await Jobs.CampaignScheduler.RunDueAsync(new JobRunOptions { Parallelism = 2 }));

        Assert.Equal(audience.Count, report.Counts[CampaignFanOut.Counts.Delivered]);
        var run = new CampaignRun("fan", "cat-food", report.Key.Run[(report.Key.Run.IndexOf('/', StringComparison.Ordinal) + 1)..]);
        var rows = new List<string>();
        for (var shard = 0; shard < Shards; shard++) rows.AddRange((await Store<ICampaignDeliveries>().ListAsync(run, shard, default)).Select(d => d.MemberId));
        Assert.Equal(audience, rows.Order(StringComparer.Ordinal));
        var lines = new List<string>();
        foreach (var file in await Store<ICampaignDeliveries>().ListExportsAsync("fan", "cat-food", default))
            {
                lines.AddRange((await ReadFileAsync(file)).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                    .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("memberId").GetString()!));
            }
        Assert.Equal(audience, lines.Order(StringComparer.Ordinal));
        // The crashed run's first batch left its notifications in the outbox, for the sweep to send once they are a minute old.
        Clock.Advance(OutboxSweep.MinimumAge);
        Assert.True(await Jobs.Outbox.RunAsync(default) > 0);
        var delivered = (await DrainAsync()).Where(n => n.Events.Any(e => e is CampaignDelivered)).Select(n => n.MemberId);
        Assert.Equal(audience, delivered.Distinct().Order(StringComparer.Ordinal));
        var balances = (await Store<IMemberStore>().GetManyAsync([.. seeded.Select(m => m.Key)], default))
            .ToDictionary(m => m.Profile.MemberId, m => m.State.Balance);
        Assert.All(seeded, m => Assert.Equal(m.State.Balance + (audience.Contains(m.Key.MemberId) ? 150 : 0), balances[m.Key.MemberId]));
        Assert.Empty(await Jobs.CampaignScheduler.RunDueAsync());
    }

    [Fact]
    public async Task A_write_on_a_stale_or_vanished_member_conflicts_an_operation_applies_once_and_a_batch_keeps_its_other_members()
    {
        var (_, seeded) = await SeedAsync("rules", 40, (_, book, _) => book, _ => [], _ => true);
        var store = Store<IMemberStore>();
        var first = (await store.GetAsync(seeded[0].Key, default))!;
        var write = new MemberWrite(first.Profile with { FirstName = "Changed" }, first.State, first.Activity, SeededAt, first.ReviewOn);
        Assert.Equal(CommitResult.Committed, await store.CommitAsync(seeded[0].Key, write, first.ConcurrencyToken, default));
        Assert.Equal(CommitResult.Conflict, await store.CommitAsync(seeded[0].Key, write, first.ConcurrencyToken, default));

        var current = (await store.GetAsync(seeded[0].Key, default))!;
        var outcome = new Outcome { OperationId = "op-1", MemberId = first.Profile.MemberId, TierBefore = first.State.Tier, TierAfter = first.State.Tier };
        var operation = write with { Operation = new OperationRecord("op-1", outcome) };
        Assert.Equal(CommitResult.Committed, await store.CommitAsync(seeded[0].Key, operation, current.ConcurrencyToken, default));
        current = (await store.GetAsync(seeded[0].Key, default))!;
        Assert.Equal(CommitResult.AlreadyApplied, await store.CommitAsync(seeded[0].Key, operation, current.ConcurrencyToken, default));
        Assert.Equal("op-1", (await Store<IMemberHistory>().GetOperationAsync(seeded[0].Key, "op-1", default))!.Id);

        // One stale member among many of one partition: it alone is refused, the others are written.
        var members = await store.GetManyAsync([.. seeded.Skip(1).Select(m => m.Key)], default);
        var stale = members[3];
        Assert.Equal(CommitResult.Committed, await store.CommitAsync(new MemberKey("rules", Shards, stale.Profile.MemberId),
            new MemberWrite(stale.Profile, stale.State, stale.Activity, SeededAt, stale.ReviewOn), stale.ConcurrencyToken, default));
        var results = await store.CommitManyAsync([.. members.Select(m => new MemberBatchWrite(new MemberKey("rules", Shards, m.Profile.MemberId),
            new MemberWrite(m.Profile with { LastName = "Batch" }, m.State, m.Activity, SeededAt, m.ReviewOn), m.ConcurrencyToken))], default);
        Assert.Equal(members.Select(m => m == stale ? CommitResult.Conflict : CommitResult.Committed), results);
        var after = (await store.GetManyAsync([.. members.Select(m => new MemberKey("rules", Shards, m.Profile.MemberId))], default))
            .ToDictionary(m => m.Profile.MemberId);
        Assert.All(members, m => Assert.Equal(m == stale ? null : "Batch", after[m.Profile.MemberId].Profile.LastName));

        // Every member of a shard once, in ordinal member-id order, page by page.
        for (var shard = 0; shard < Shards; shard++)
        {
            var listed = new List<string>();
            string? cursor = null;
            do
            {
                var page = await store.ListShardAsync("rules", shard, 3, cursor, default);
                Assert.InRange(page.Items.Count, 0, 3);
                listed.AddRange(page.Items.Select(m => m.Profile.MemberId));
                cursor = page.Next;
            }
            while (cursor is not null);
            var inShard = seeded.Where(m => m.Shard == shard).Select(m => m.Key.MemberId).Order(StringComparer.Ordinal);
            Assert.Equal(inShard, listed);
        }
    }

    private sealed record Seeded(int Number, MemberKey Key, int Shard, MemberState State, DateOnly? FiledOn);

    /// <summary>
    /// Members written straight through the store, each in a calendar-year program with its own history; the shard each
    /// landed in, as the store lists it.
    /// </summary>
    private async Task<(CompiledProgram Program, List<Seeded> Members)> SeedAsync(
        string programId, int count, Func<int, MemberBook, ProgramCatalog, MemberBook> history, Func<int, string[]> interests, Func<int, bool> email)
    {
        var definition = DemoProgram.Definition(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)) with { ProgramId = programId };
        Ok(await Jobs.Programs.CreateAsync(new CreateProgram { Definition = definition, Name = programId, Shards = Shards }, default));
        var catalog = ProgramCatalog.Create(definition).Value;
        var writes = new List<MemberBatchWrite>();
        var seeded = new List<Seeded>();
        for (var i = 0; i < count; i++)
        {
            var memberId = $"{programId}{i:D5}x{(char)('a' + i % 26)}";
            var enrolledOn = new DateOnly(2025, 1, 1).AddDays(i % 50);
            var state = history(i, MemberBook.Enrol(catalog.Latest, memberId, enrolledOn).Value.Book, catalog).State;
            var filed = MemberReview.NextReviewOn(state, catalog, SeededAt);
            var profile = new MemberProfile
            {
                MemberId = memberId, CardNumber = $"card{i:D6}", EnrolledAt = SeededAt, FirstName = $"M{i}", Email = $"m{i}@example.com",
                Interests = interests(i),
                Consents = new Dictionary<ConsentChannel, Consent> { [ConsentChannel.Email] = new(email(i), SeededAt, "test") },
            };
            var key = new MemberKey(programId, Shards, memberId);
            writes.Add(new MemberBatchWrite(key, new MemberWrite(profile, state, new MemberActivity(), SeededAt, filed), null));
            seeded.Add(new Seeded(i, key, -1, state, filed));
        }
        Assert.All(await Store<IMemberStore>().CommitManyAsync(writes, default), r => Assert.Equal(CommitResult.Committed, r));
        var shardOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var shard = 0; shard < Shards; shard++)
            for (var page = await Store<IMemberStore>().ListShardAsync(programId, shard, 1000, null, default); ;
                page = await Store<IMemberStore>().ListShardAsync(programId, shard, 1000, page.Next, default))
            {
                foreach (var member in page.Items) shardOf.Add(member.Profile.MemberId, shard);
                if (page.Next is null) break;
            }
        return (catalog.Latest, [.. seeded.Select(m => m with { Shard = shardOf[m.Key.MemberId] })]);
    }

    private sealed class CrashException() : Exception("Simulated crash: the transaction committed, the process died before recording it.");

    /// <summary>Commits the first batch, then "dies" before the job can record it.</summary>
    private sealed class CrashingMembers(IMemberStore inner) : IMemberStore
    {
        public Task<StoredMember?> GetAsync(MemberKey key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);
        public Task InsertAsync(MemberKey key, MemberWrite write, CancellationToken cancellationToken) => inner.InsertAsync(key, write, cancellationToken);
        public Task<CommitResult> CommitAsync(MemberKey key, MemberWrite write, string concurrencyToken, CancellationToken cancellationToken) =>
            inner.CommitAsync(key, write, concurrencyToken, cancellationToken);
        public Task<IReadOnlyList<StoredMember>> GetManyAsync(IReadOnlyList<MemberKey> keys, CancellationToken cancellationToken) =>
            inner.GetManyAsync(keys, cancellationToken);

        public async Task<IReadOnlyList<CommitResult>> CommitManyAsync(IReadOnlyList<MemberBatchWrite> writes, CancellationToken cancellationToken)
        {
            await inner.CommitManyAsync(writes, cancellationToken);
            throw new CrashException();
        }

        public Task<CursorPage<StoredMember>> ListShardAsync(string programId, int shard, int pageSize, string? after, CancellationToken cancellationToken) =>
            inner.ListShardAsync(programId, shard, pageSize, after, cancellationToken);
    }
}

/// <summary>The shared body on the Table, Queue and Blob stores (Azurite).</summary>
public sealed class BatchJobsOnTableStorageTests : BatchJobsOnEitherStorage
{
    protected override IServiceProvider CreateJobs(Action<IServiceCollection>? replace = null) => CreateServices(replace);

    protected override Task<IReadOnlyList<Notification>> DrainAsync() => DrainNotificationsAsync();

    protected override async Task<string> ReadFileAsync(string name)
    {
        var container = Account.GetContainer(Storage.Names.CampaignsContainer);
        return (await container.GetBlobClient(name[(container.Name.Length + 1)..]).DownloadContentAsync()).Value.Content.ToString();
    }
}

/// <summary>The shared body on the in-memory ports.</summary>
public sealed class BatchJobsInMemoryTests : BatchJobsOnEitherStorage
{
    private readonly InMemoryStorage memory = new();

    protected override IServiceProvider CreateJobs(Action<IServiceCollection>? replace = null)
    {
        var services = new ServiceCollection().AddSingleton<TimeProvider>(Clock).AddInMemoryStorage(memory).AddLoyaltyApplication();
        replace?.Invoke(services);
        return services.BuildServiceProvider();
    }

    protected override Task<IReadOnlyList<Notification>> DrainAsync() => Task.FromResult(memory.Notifications.Drain().Notifications);

    protected override Task<string> ReadFileAsync(string name) =>
        Task.FromResult(System.Text.Encoding.UTF8.GetString(memory.CampaignFiles.Read(name[(memory.CampaignFiles.Name.Length + 1)..])!));
}
