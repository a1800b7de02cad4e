using Loyalty.Core.Application;
using System.Collections.Immutable;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Members;
using Loyalty.Core.Statistics;
using Loyalty.Testing;
using Xunit;

namespace Loyalty.Storage.Tests.Repositories;

public class FiguresStoreTests : LoyaltyStorageTest
{
    [Fact]
    public async Task A_shard_counted_again_replaces_its_row_and_a_range_starts_at_its_night()
    {
        var programId = "f" + Guid.NewGuid().ToString("N")[..10];
        var night = new DateOnly(2027, 3, 10);
        var first = ShardFigures.Empty(night, 3, Start) with
        {
            Enrolled = 12,
            Tiers = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("Bronze", 10L), KeyValuePair.Create("Gold", 2L)]),
            Points = 1_234_567_890_123,
            Debt = 7,
            OpenVouchers = 3,
            OpenVoucherValue = 250.50m,
            Totals = new MemberTotals { Receipts = 40, PointsEarned = 9_000, VouchersIssued = 5, VouchersRedeemed = 2, Upgrades = 3, Downgrades = 1 },
        };
        await Port<IFiguresStore>().SaveAsync(programId, ShardFigures.Empty(night.AddDays(-1), 3, Start), default);
        await Port<IFiguresStore>().SaveAsync(programId, first with { Enrolled = 11 }, default);
        await Port<IFiguresStore>().SaveAsync(programId, first, default);
        await Port<IFiguresStore>().SaveAsync("other" + programId, first with { Enrolled = 99 }, default);

        var read = Assert.Single(await Port<IFiguresStore>().ListAsync(programId, night, default));
        Assert.Equal(first.Tiers, read.Tiers);
        Assert.Equal(first with { Tiers = read.Tiers }, read);
        Assert.Equal(2, (await Port<IFiguresStore>().ListAsync(programId, night.AddDays(-1), default)).Count);
    }

    /// <summary>Two nights of a program over the real stores: the second night's activity is exactly what happened between them.</summary>
    [Fact]
    public async Task The_nightly_review_counts_every_shard_and_the_figures_show_what_happened_between_nights()
    {
        var programId = await CreateDemoProgramAsync();
        var members = new List<string>();
        for (var i = 0; i < 6; i++) members.Add((await EnrolAsync(programId)).Profile.MemberId);
        var firstNight = DateOnly.FromDateTime(Start.UtcDateTime);
        await Services.Nightly.RunAsync(programId, firstNight);

        var before = Ok(await Services.Figures.GetAsync(await Services.ProgramAsync(programId), 7, default));
        Assert.Equal(firstNight, before.AsOf);
        Assert.Equal(6, before.Tiers.Sum(t => t.Members));
        Assert.Empty(before.Nights);

        Clock.Advance(TimeSpan.FromDays(1));
        for (var i = 0; i < 2; i++) members.Add((await EnrolAsync(programId)).Profile.MemberId);
        var earned = 0L;
        for (var i = 0; i < 5; i++)
        {
            var receipt = Purchase($"fig-{i}", new MemberIdentifier { MemberId = members[i] }, ("food", "pet-food", 1m, 300m + i * 1_000));
            earned += Ok(await Services.Receipts.SubmitAsync(await Services.ProgramAsync(programId), receipt, Payload(receipt), default)).Outcome!.PointsEarned;
        }
        var resent = Purchase("fig-0", new MemberIdentifier { MemberId = members[0] }, ("food", "pet-food", 1m, 300m));
        Ok(await Services.Receipts.SubmitAsync(await Services.ProgramAsync(programId), resent, Payload(resent), default));
        var secondNight = firstNight.AddDays(1);
        await Services.Nightly.RunAsync(programId, secondNight);

        var after = Ok(await Services.Figures.GetAsync(await Services.ProgramAsync(programId), 7, default));
        Assert.Equal(secondNight, after.AsOf);
        Assert.Equal(8, after.Tiers.Sum(t => t.Members));
        var night = Assert.Single(after.Nights);
        Assert.Equal((secondNight, firstNight, 8L, 2L, 5L), (night.Night, night.Since, night.Members, night.Enrolments, night.Receipts));
        Assert.True(earned > 0);
        Assert.Equal(earned, night.PointsEarned);
        var balances = 0L;
        foreach (var id in members) balances += Ok(await Members.GetAsync(await Services.ProgramAsync(programId), id, default)).View.Balance;
        Assert.Equal(balances, after.Liability.Points);
        Assert.Equal(Math.Round(balances * after.PointValue!.Value, 2), after.Liability.Value);
    }
}
