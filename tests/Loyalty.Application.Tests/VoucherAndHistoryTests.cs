using Loyalty.Core.Application;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Ledger;
using Loyalty.Core.Members;
using Loyalty.Core.Validation;
using Loyalty.Testing;
using Xunit;

namespace Loyalty.Application.Tests;

public class VoucherAndHistoryTests : LoyaltyStorageTest
{
    private const int Shards = 8;

    [Fact]
    public async Task A_retried_voucher_choice_returns_the_first_outcome_and_deducts_points_once()
    {
        var programId = await CreateProgramAsync(shards: Shards);
        var member = (await EnrolAsync(programId)).Profile.MemberId;
        await GivePointsAsync(programId, member, 10_000);

        var first = Ok(await Members.ChooseVoucherAsync(await Services.ProgramAsync(programId), member, "req-1", 200m, default));
        Assert.Equal(("till:req-1", 6_000L), (Assert.Single(first.VouchersIssued).Id, first.Balance));

        var retried = Ok(await Members.ChooseVoucherAsync(await Services.ProgramAsync(programId), member, "req-1", 200m, default));
        Assert.Equal((first.OperationId, first.Balance, first.VouchersIssued[0]), (retried.OperationId, retried.Balance, retried.VouchersIssued[0]));
        Assert.Equal(6_000, Ok(await Members.GetAsync(await Services.ProgramAsync(programId), member, default)).View.Balance);

        // A retry whose points are gone by now still gets its first outcome rather than "insufficient points".
        Ok(await Members.ChooseVoucherAsync(await Services.ProgramAsync(programId), member, "req-2", 200m, default));
        Ok(await Members.ChooseVoucherAsync(await Services.ProgramAsync(programId), member, "req-3", 100m, default));
        Failed(await Members.ChooseVoucherAsync(await Services.ProgramAsync(programId), member, "req-4", 100m, default), ErrorCodes.InsufficientPoints);
        Assert.Equal(6_000, Ok(await Members.ChooseVoucherAsync(await Services.ProgramAsync(programId), member, "req-1", 200m, default)).Balance);
        Assert.Equal(0, Ok(await Members.GetAsync(await Services.ProgramAsync(programId), member, default)).View.Balance);
    }

    [Fact]
    public async Task Twenty_concurrent_redemptions_of_one_voucher_let_exactly_one_through()
    {
        var programId = await CreateProgramAsync(shards: Shards);
        var member = (await EnrolAsync(programId)).Profile.MemberId;

        var program = await Services.ProgramAsync(programId);
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Members.RedeemVoucherAsync(program, member, "welcome", $"pay-{i}", default)));

        var winner = Assert.Single(results, r => r.IsValid);
        Assert.Equal(["welcome"], winner.Value.VouchersRedeemed);
        Assert.All(results.Where(r => !r.IsValid), r => Assert.Equal(ErrorCodes.VoucherNotOpen, Assert.Single(r.Errors).Code));
        Assert.Empty(Ok(await Members.GetAsync(await Services.ProgramAsync(programId), member, default)).View.OpenVouchers);
        var ledger = Ok(await Members.ListLedgerAsync(await Services.ProgramAsync(programId), member, new PageRequest(50), default)).Items;
        Assert.Single(ledger, e => e.Kind == LedgerKind.VoucherRedeemed);

        // The winner's retry replays its success; everyone else's retry is still refused.
        Assert.Equal(winner.Value.OperationId, Ok(await Members.RedeemVoucherAsync(await Services.ProgramAsync(programId),
            member, "welcome", winner.Value.OperationId["redeem:".Length..],
            default)).OperationId);
        Failed(await Members.RedeemVoucherAsync(await Services.ProgramAsync(programId), member, "welcome", "pay-late", default), ErrorCodes.VoucherNotOpen);
    }

    [Fact]
    public async Task Receipts_and_ledger_page_newest_first_with_continuations()
    {
        var programId = await CreateProgramAsync(shards: Shards);
        var member = (await EnrolAsync(programId)).Profile.MemberId;
        var key = new MemberKey(programId, Shards, member);
        for (var i = 1; i <= 5; i++)
        {
            Clock.Advance(TimeSpan.FromMinutes(1));
            var stored = (await Port<IMemberStore>().GetAsync(key, default))!;
            var outcome = new Outcome { OperationId = $"r{i}", MemberId = member, TierBefore = "Bronze", TierAfter = "Bronze" };
            var receipt = new ReceiptSummary($"r{i}", Clock.GetUtcNow(), "store-1", "store", 100m * i, "SEK", null, outcome);
            var write = new MemberWrite(stored.Profile, stored.State, stored.Activity, Clock.GetUtcNow(), stored.ReviewOn,
                new OperationRecord($"r{i}", outcome), [], receipt);
            Assert.Equal(CommitResult.Committed, await Port<IMemberStore>().CommitAsync(key, write, stored.ConcurrencyToken, default));
        }

        var program = await Services.ProgramAsync(programId);
        var pages = await ReadAllAsync(page => Members.ListReceiptsAsync(program, member, page, default), pageSize: 2);
        Assert.Equal([["r5", "r4"], ["r3", "r2"], ["r1"]], pages.Select(p => p.Select(r => r.ReceiptId).ToArray()));
        Assert.Equal(300m, pages[1][0].Total);

        await GivePointsAsync(programId, member, 8_000);
        foreach (var value in new[] { 100m, 200m, 100m })
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            Ok(await Members.ChooseVoucherAsync(await Services.ProgramAsync(programId), member, $"req-{value}-{Clock.GetUtcNow().Second}", value, default));
        }
        var ledger = await ReadAllAsync(page => Members.ListLedgerAsync(program, member, page, default), pageSize: 3);
        Assert.Equal([3, 1], ledger.Select(p => p.Count));
        var entries = ledger.SelectMany(p => p).ToList();
        Assert.Equal([LedgerKind.VoucherIssued, LedgerKind.VoucherIssued, LedgerKind.VoucherIssued, LedgerKind.VoucherIssued], entries.Select(e => e.Kind));
        Assert.Equal([-2_000L, -4_000L, -2_000L, 0L], entries.Select(e => e.Points));
        Assert.Equal("welcome", entries[^1].Reference);
    }

    [Fact]
    public async Task A_continuation_that_was_not_issued_is_refused_and_page_sizes_are_bounded()
    {
        var programId = await CreateProgramAsync(shards: Shards);
        var member = (await EnrolAsync(programId)).Profile.MemberId;

        foreach (var bad in new[] { "not base64!", "AAEC", "" })
            Assert.Equal("continuation", Failed(await Members.ListLedgerAsync(await Services.ProgramAsync(programId),
                member, new PageRequest(10, bad), default),
                ApplicationErrors.InvalidContinuation).Path);
        Failed(await Members.ListReceiptsAsync(await Services.ProgramAsync(programId), member, new PageRequest(0), default), ErrorCodes.OutOfRange);
        Failed(await Members.ListReceiptsAsync(await Services.ProgramAsync(programId),
            member, new PageRequest(PageRequest.MaxPageSize + 1), default), ErrorCodes.OutOfRange);

        // A continuation is signed for its listing: a cursor signed with another key is refused before any storage call.
        var forged = new Continuations(new byte[32]).Encode($"{programId}|{member}|ledger", "~");
        Assert.Equal("continuation", Failed(await Members.ListLedgerAsync(await Services.ProgramAsync(programId), member, new PageRequest(10, forged), default),
            ApplicationErrors.InvalidContinuation).Path);
    }

    private static async Task<List<IReadOnlyList<T>>> ReadAllAsync<T>(Func<PageRequest, Task<Result<Page<T>>>> list, int pageSize)
    {
        var pages = new List<IReadOnlyList<T>>();
        string? continuation = null;
        do
        {
            var page = Ok(await list(new PageRequest(pageSize, continuation)));
            pages.Add(page.Items);
            continuation = page.Continuation;
        }
        while (continuation is not null);
        return pages;
    }

    /// <summary>Receipts are not this layer's job yet: points go straight into the stored state, keeping lots equal to the balance.</summary>
    private async Task GivePointsAsync(string programId, string memberId, long points)
    {
        var key = new MemberKey(programId, Shards, memberId);
        var stored = (await Port<IMemberStore>().GetAsync(key, default))!;
        var month = new DateOnly(Start.Year, Start.Month, 1);
        var state = stored.State with { Balance = stored.State.Balance + points, Lots = [.. stored.State.Lots, new MonthPoints(month, points)] };
        var write = new MemberWrite(stored.Profile, state, stored.Activity, Clock.GetUtcNow(), stored.ReviewOn);
        Assert.Equal(CommitResult.Committed, await Port<IMemberStore>().CommitAsync(key, write, stored.ConcurrencyToken, default));
        // The token is single-use: a second write from the same read loses.
        Assert.Equal(CommitResult.Conflict, await Port<IMemberStore>().CommitAsync(key, write, stored.ConcurrencyToken, default));
    }
}
