using Microsoft.Extensions.DependencyInjection;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Application.Receipts;
using Loyalty.Core.Members;
using Loyalty.Testing;
using Xunit;

namespace Loyalty.Application.Tests.Receipts;

/// <summary>
/// A return from the queue ahead of its purchase is parked under the purchase's id and the purchase marked awaited on the
/// member's profile, which every purchase reads anyway; a purchase looks for waiting returns only when it finds itself
/// marked. The races and crashes of docs/architecture.md ("What a return ahead of its purchase leaves"), one by one.
/// </summary>
public sealed class WaitingReturnsTests : LoyaltyStorageTest
{
    private IReceiptService Receipts => Services.Receipts;

    [Fact]
    public async Task A_purchase_costs_four_storage_requests_by_identifier_three_by_member_id_and_never_looks_for_waiting_returns()
    {
        var programId = await CreateDemoProgramAsync();
        var member = await EnrolWithPhoneAsync(programId, "+46701234590");
        var recorder = new RecordingPolicy();
        var counted = TestServices.Create(recorder.Account(Loyalty.Testing.Azurite.ConnectionString), Storage.Names, Clock).Receipts;
        // The program is cached after a host's first request.
        var first = Purchase("c-0", Phone("+46701234590"), ("toy-1", "toys", 1, 50m));
        Ok(await counted.SubmitAsync(await Services.ProgramAsync(programId), first, Payload(first), default));

        var byPhone = Purchase("c-1", Phone("+46701234590"), ("toy-1", "toys", 1, 50m));
        var before = recorder.Requests.Count;
        Assert.Equal(ReceiptStatus.Applied, Ok(await counted.SubmitAsync(await Services.ProgramAsync(programId), byPhone, Payload(byPhone), default)).Status);
        Assert.Equal(
            [$"GET {Storage.Names.Identities}", $"GET {Storage.Names.Members}", "POST $batch", $"POST {Storage.Names.ReceiptClaims}"],
            Described(recorder.Requests.Skip(before)));

        var byId = Purchase("c-2", new MemberIdentifier { MemberId = member }, ("toy-1", "toys", 1, 50m));
        before = recorder.Requests.Count;
        Assert.Equal(ReceiptStatus.Applied, Ok(await counted.ApplyAsync(await Services.ProgramAsync(programId), byId, "archive/c", default)).Status);
        Assert.Equal([$"GET {Storage.Names.Members}", "POST $batch", $"POST {Storage.Names.ReceiptClaims}"], Described(recorder.Requests.Skip(before)));
    }

    [Fact]
    public async Task A_return_parked_first_marks_its_purchase_which_applies_it_and_the_last_waiting_return_clears_the_mark()
    {
        var (programId, member) = await MemberAsync("+46701234591");
        var purchase = Purchase("a-1", Phone("+46701234591"), ("toy-1", "toys", 4, 400m));

        Assert.Equal(ReceiptStatus.Parked, Ok(await Receipts.ApplyAsync(await Services.ProgramAsync(programId),
            ReturnOf("a-1-back", purchase, 1), "archive/a", default)).Status);
        Assert.Equal(ReceiptStatus.Parked, Ok(await Receipts.ApplyAsync(await Services.ProgramAsync(programId),
            ReturnOf("a-1-back2", purchase, 2), "archive/a", default)).Status);
        Assert.Equal(["a-1"], await AwaitedAsync(programId, member));

        Ok(await Receipts.ApplyAsync(await Services.ProgramAsync(programId), purchase, "archive/a", default));
        await AssertSettledAsync(programId, member, 400 - 100 - 200, "a-1", "a-1-back", "a-1-back2");
    }

    [Fact]
    public async Task A_return_marking_its_purchase_after_the_purchase_read_the_profile_makes_the_purchase_commit_again_and_apply_it()
    {
        var (programId, member) = await MemberAsync("+46701234592");
        var purchase = Purchase("b-1", Phone("+46701234592"), ("toy-1", "toys", 2, 200m));
        var otherHost = CreateServices().Receipts;
        var results = new List<CommitResult>();
        // The purchase's host has read the profile (no mark yet); before its commit arrives, another host parks the return and marks.
        var overtaken = Overtaken(write => write.Operation?.Id == "b-1", async () =>
            Assert.Equal(ReceiptStatus.Parked, Ok(await otherHost.ApplyAsync(await Services.ProgramAsync(programId),
                ReturnOf("b-1-back", purchase, 1), "archive/b", default)).Status),
            results);

        var applied = Ok(await overtaken.ApplyAsync(await Services.ProgramAsync(programId), purchase, "archive/b", default));

        Assert.Equal(ReceiptStatus.Applied, applied.Status);
        Assert.Equal([CommitResult.Conflict, CommitResult.Committed], results.Take(2));
        await AssertSettledAsync(programId, member, 100, "b-1", "b-1-back");
    }

    [Fact]
    public async Task A_purchase_committed_before_the_returns_mark_fails_the_mark_and_the_return_applies_itself()
    {
        var (programId, member) = await MemberAsync("+46701234593");
        var purchase = Purchase("c-1", Phone("+46701234593"), ("toy-1", "toys", 2, 200m));
        var otherHost = CreateServices().Receipts;
        var results = new List<CommitResult>();
        // The return's host found the purchase missing and read the profile to mark it; the purchase commits before the mark.
        var overtaken = Overtaken(write => write.Operation is null, async () => Ok(await otherHost.ApplyAsync(await Services.ProgramAsync(programId),
            purchase, "archive/c", default)),
            results);

        var back = Ok(await overtaken.ApplyAsync(await Services.ProgramAsync(programId), ReturnOf("c-1-back", purchase, 1), "archive/c", default));

        Assert.Equal((ReceiptStatus.Applied, -100L), (back.Status, back.Outcome!.PointsEarned));
        Assert.Equal(CommitResult.Conflict, results[0]);
        await AssertSettledAsync(programId, member, 100, "c-1", "c-1-back");
    }

    [Fact]
    public async Task A_host_dying_between_parking_and_marking_leaves_the_return_to_its_redelivery_or_to_the_sweep()
    {
        var (programId, member) = await MemberAsync("+46701234594");
        var dying = Dying(write => write.Operation is null);

        // Redelivered before its purchase comes: parked again, and marked this time.
        var redelivered = Purchase("d-1", Phone("+46701234594"), ("toy-1", "toys", 4, 400m));
        await Assert.ThrowsAsync<IOException>(async () => await dying.ApplyAsync(await Services.ProgramAsync(programId),
            ReturnOf("d-1-back", redelivered, 1), "archive/d", default));
        Assert.Empty(await AwaitedAsync(programId, member));
        Assert.Equal(ReceiptStatus.Parked, Ok(await Receipts.ApplyAsync(await Services.ProgramAsync(programId),
            ReturnOf("d-1-back", redelivered, 1), "archive/d", default)).Status);
        Ok(await Receipts.ApplyAsync(await Services.ProgramAsync(programId), redelivered, "archive/d", default));
        await AssertSettledAsync(programId, member, 300, "d-1", "d-1-back");

        // Given up on (poisoned, say): the purchase, unmarked, does not know of it; the sweep does.
        var unmarked = Purchase("d-2", Phone("+46701234594"), ("toy-1", "toys", 2, 200m));
        await Assert.ThrowsAsync<IOException>(async () => await dying.ApplyAsync(await Services.ProgramAsync(programId),
            ReturnOf("d-2-back", unmarked, 1), "archive/d", default));
        Ok(await Receipts.ApplyAsync(await Services.ProgramAsync(programId), unmarked, "archive/d", default));
        Assert.Equal("d-2-back", Assert.Single(Ok(await Receipts.ListParkedAsync(await Services.ProgramAsync(programId),
            new PageRequest(10), default)).Items).Receipt.Id);
        Assert.Equal(1, await Receipts.ReplayParkedAsync(await Services.ProgramAsync(programId), default));
        await AssertSettledAsync(programId, member, 300 + 100, "d-1", "d-1-back", "d-2", "d-2-back");
    }

    [Fact]
    public async Task A_host_dying_after_the_purchase_or_between_its_returns_leaves_the_mark_and_the_purchases_redelivery_applies_the_rest()
    {
        var (programId, member) = await MemberAsync("+46701234595");
        var purchase = Purchase("e-1", Phone("+46701234595"), ("toy-1", "toys", 4, 400m));
        Ok(await Receipts.ApplyAsync(await Services.ProgramAsync(programId),
            ReturnOf("e-1-back", purchase, 1) with { PurchasedAt = Start.AddMinutes(-6) }, "archive/e", default));
        Ok(await Receipts.ApplyAsync(await Services.ProgramAsync(programId), ReturnOf("e-1-back2", purchase, 1), "archive/e", default));
        var dying = Dying(write => write.Operation?.Id == "e-1-back2");

        await Assert.ThrowsAsync<IOException>(async () => await dying.ApplyAsync(await Services.ProgramAsync(programId), purchase, "archive/e", default));
        Assert.Equal(["e-1"], await AwaitedAsync(programId, member));
        Assert.Equal(["e-1", "e-1-back"], await HistoryAsync(programId, member));

        Assert.Equal(ReceiptStatus.Applied, Ok(await Receipts.ApplyAsync(await Services.ProgramAsync(programId), purchase, "archive/e", default)).Status);
        await AssertSettledAsync(programId, member, 200, "e-1", "e-1-back", "e-1-back2");
    }

    [Fact]
    public void The_awaited_set_keeps_each_purchase_once_and_the_newest_when_full()
    {
        var activity = Enumerable.Range(0, MemberActivity.MaxAwaitedPurchases + 2).Aggregate(new MemberActivity(), (a, i) => a.Awaiting($"p-{i}"));
        Assert.Equal(MemberActivity.MaxAwaitedPurchases, activity.AwaitedPurchases.Length);
        Assert.Equal(["p-2", "p-3"], activity.AwaitedPurchases.Take(2));

        activity = activity.Awaiting("p-2").NoLongerAwaiting("p-5").NoLongerAwaiting("never");
        Assert.Equal(MemberActivity.MaxAwaitedPurchases - 1, activity.AwaitedPurchases.Length);
        Assert.Equal(["p-3", "p-4", "p-6"], activity.AwaitedPurchases.Take(3));
        Assert.Equal("p-2", activity.AwaitedPurchases[^1]);
    }

    /// <summary>A host whose first commit matching <paramref name="at"/> is overtaken by <paramref name="other"/> (another host's work).</summary>
    private IReceiptService Overtaken(Func<MemberWrite, bool> at, Func<Task> other, List<CommitResult> results) =>
        CreateServices(s => s.AddSingleton<IMemberStore>(new InterceptedMembers(Port<IMemberStore>(), async write =>
        {
            if (results.Count == 0 && at(write)) await other();
        }, results.Add))).Receipts;

    /// <summary>A host killed as it sends a commit matching <paramref name="at"/>.</summary>
    private IReceiptService Dying(Func<MemberWrite, bool> at) =>
        CreateServices(s => s.AddSingleton<IMemberStore>(new InterceptedMembers(Port<IMemberStore>(),
            write => at(write) ? throw new IOException("The host was killed.") : Task.CompletedTask, _ => { }))).Receipts;

    private async Task<(string ProgramId, string MemberId)> MemberAsync(string phone)
    {
        var programId = await CreateDemoProgramAsync();
        return (programId, await EnrolWithPhoneAsync(programId, phone));
    }

    private async Task<string> EnrolWithPhoneAsync(string programId, string phone) =>
        (await EnrolAsync(programId, new EnrolMember { FirstName = "Pia", Phone = phone })).Profile.MemberId;

    private static MemberIdentifier Phone(string phone) => new() { Phone = phone };

    /// <summary>A return of <paramref name="quantity"/> toys of 100 kr each from <paramref name="purchase"/>, by the same member.</summary>
    private static PosReceipt ReturnOf(string id, PosReceipt purchase, int quantity) =>
        Return(id, purchase.Id, purchase.Member!, ("toy-1", "toys", -quantity, -100m * quantity));

    private async Task<IReadOnlyList<string>> AwaitedAsync(string programId, string memberId) =>
        (await Port<IMemberStore>().GetAsync(new MemberKey(programId, 4, memberId), default))!.Activity.AwaitedPurchases;

    private async Task<IReadOnlyList<string>> HistoryAsync(string programId, string memberId) =>
        [.. Ok(await Members.ListReceiptsAsync(await Services.ProgramAsync(programId), memberId, new PageRequest(50), default)).Items.Select(r => r.ReceiptId)
            .Order(StringComparer.Ordinal)];

    /// <summary>Every receipt applied once, nothing parked, no purchase marked.</summary>
    private async Task AssertSettledAsync(string programId, string memberId, long qualifyingPoints, params string[] receipts)
    {
        Assert.Equal(qualifyingPoints, Ok(await Members.GetAsync(await Services.ProgramAsync(programId), memberId, default)).View.QualifyingPoints);
        Assert.Equal(receipts.Order(StringComparer.Ordinal), await HistoryAsync(programId, memberId));
        Assert.Empty(Ok(await Receipts.ListParkedAsync(await Services.ProgramAsync(programId), new PageRequest(10), default)).Items);
        Assert.Empty(await AwaitedAsync(programId, memberId));
    }

    /// <summary>Each request as its method and the table it addresses (or <c>$batch</c>), sorted: the claim and the profile read go together.</summary>
    private static List<string> Described(IEnumerable<(string Method, Uri Uri)> requests) =>
        [.. requests.Select(r => $"{r.Method} {Uri.UnescapeDataString(r.Uri.AbsolutePath).Split('/')[^1].Split('(')[0]}").Order(StringComparer.Ordinal)];

    /// <summary>
    /// The member store of a host that runs <paramref name="before"/> ahead of each commit (another host's work slipped in, or
    /// its own death) and hands each commit's result to <paramref name="after"/>.
    /// </summary>
    private sealed class InterceptedMembers(IMemberStore inner, Func<MemberWrite, Task> before, Action<CommitResult> after) : IMemberStore
    {
        public Task<StoredMember?> GetAsync(MemberKey key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);

        public Task InsertAsync(MemberKey key, MemberWrite write, CancellationToken cancellationToken) => inner.InsertAsync(key, write, cancellationToken);

        public async Task<CommitResult> CommitAsync(MemberKey key, MemberWrite write, string concurrencyToken, CancellationToken cancellationToken)
        {
            await before(write);
            var result = await inner.CommitAsync(key, write, concurrencyToken, cancellationToken);
            after(result);
            return result;
        }

        public Task<IReadOnlyList<StoredMember>> GetManyAsync(IReadOnlyList<MemberKey> keys, CancellationToken cancellationToken) =>
            inner.GetManyAsync(keys, cancellationToken);

        public Task<IReadOnlyList<CommitResult>> CommitManyAsync(IReadOnlyList<MemberBatchWrite> writes, CancellationToken cancellationToken) =>
            inner.CommitManyAsync(writes, cancellationToken);

        public Task<CursorPage<StoredMember>> ListShardAsync(string programId, int shard, int pageSize, string? after, CancellationToken cancellationToken) =>
            inner.ListShardAsync(programId, shard, pageSize, after, cancellationToken);
    }
}
