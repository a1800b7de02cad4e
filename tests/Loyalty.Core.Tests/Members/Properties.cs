using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loyalty.Core.Members;
using Loyalty.Core.Tiers;

namespace Loyalty.Core.Tests;

/// <summary>
/// Invariants over generated member histories (purchases with vouchers and household stamps, partial and full
/// returns, till choices, nightly reviews months apart, attempts to reuse vouchers) on every kind of program.
/// </summary>
public class Properties
{
    /// <summary>
    /// The runner checks after every step: balance, debt and qualifying points equal the sums of the ledger, lots add
    /// up to the balance; and on every receipt that a resend is a replay with the same state and outcome.
    /// </summary>
    [Property(MaxTest = 300)]
    public Property Balance_equals_the_ledger_and_a_resent_receipt_changes_nothing() =>
        Prop.ForAll(Scenarios.Histories(), s => new Runner(s.ProgramIndex).Run(s.Ops));

    [Property(MaxTest = 300)]
    public Property Vouchers_are_never_negative_issued_twice_or_redeemed_twice() =>
        Prop.ForAll(Scenarios.Histories(), s =>
        {
            var runner = new Runner(s.ProgramIndex).Run(s.Ops);
            Assert.All(runner.Book.State.Vouchers, v => Assert.True(v.Value > 0));
            Assert.Equal(runner.Book.State.Vouchers.Length, runner.Book.State.Vouchers.Select(v => v.Id).Distinct().Count());
        });

    [Property(MaxTest = 300)]
    public Property A_full_return_after_a_purchase_restores_balance_qualifying_points_and_stamps() =>
        Prop.ForAll(Scenarios.Histories(), Gen.ArrayOf(Gen.Choose(1, 3_000), 3).ToArbitrary(), Gen.Choose(0, 12).ToArbitrary(), (s, amounts, bags) =>
        {
            var runner = new Runner(s.ProgramIndex).Run(s.Ops);
            runner.Step(new Review(1));
            var before = runner.Book.State;
            var purchase = runner.NewPurchase(amounts, bags);
            runner.Apply(purchase);
            var lines = purchase.Lines.Select((l, i) => l with { Quantity = -l.Quantity, Amount = -l.Amount, OriginalLine = i }).ToArray();
            runner.Apply(Seeds.Return("undo", purchase.Id, runner.Clock, lines));
            var after = runner.Book.State;
            Assert.Equal((before.Balance, before.Debt, before.QualifyingPoints, before.Tier), (after.Balance, after.Debt, after.QualifyingPoints, after.Tier));
            Assert.Equal(Cards(before), Cards(after));
            Assert.Equal(before.Vouchers.Select(v => v.Id), after.Vouchers.Select(v => v.Id));
        });

    private static int TierIndex(Programs.CompiledProgram program, string tier) => program.Definition.Tiers.ToList().FindIndex(t => t.Name == tier);

    private static IEnumerable<(string, int, int)> Cards(MemberState state) =>
        state.StampCards.Where(c => c.Stamps != 0 || c.Completed != 0).Select(c => (c.CardId, c.Stamps, c.Completed));

    /// <summary>The same history gives the same tier at a date, however often and whenever the nightly review ran in between.</summary>
    [Property(MaxTest = 300)]
    public Property Tier_evaluation_is_deterministic_for_a_history_and_a_date() =>
        Prop.ForAll(Scenarios.Histories(), Gen.Choose(0, 900).ToArbitrary(), Gen.Choose(0, 100).ToArbitrary(), (s, ahead, reviewPercent) =>
        {
            var first = new Runner(s.ProgramIndex).Run(s.Ops);
            var second = new Runner(s.ProgramIndex).Run(s.Ops);
            var date = first.Book.State.ReviewedOn.AddDays(ahead);
            var direct = TierEvaluator.Evaluate(first.Book.State, first.Program, date);
            Assert.Equal(direct, TierEvaluator.Evaluate(second.Book.State, second.Program, date));
            var reviewedOn = first.Book.State.ReviewedOn.AddDays(ahead * reviewPercent / 100);
            var reviewed = MemberReview.ReviewAt(first.Book.State, first.Program, reviewedOn).State;
            Assert.Equal(direct, TierEvaluator.Evaluate(reviewed, first.Program, date));
        });

    /// <summary>Under the default policy, a tier reached in a window holds on every later day up to the end of the next window.</summary>
    [Property(MaxTest = 300)]
    public Property A_tier_reached_is_kept_until_the_end_of_the_next_period() =>
        Prop.ForAll(Scenarios.Histories(withReturns: false, programs: Scenarios.HoldPrograms), s =>
        {
            var promises = new List<(int Tier, DateOnly Until)>();
            Runner? runner = null;
            runner = new Runner(s.ProgramIndex)
            {
                AfterStep = (_, transition) =>
                {
                    var state = runner!.Book.State;
                    var program = runner.Program;
                    var today = runner.Today;
                    foreach (var (tier, until) in promises.Where(p => today <= p.Until))
                    {
                        var status = TierEvaluator.Evaluate(state, program, today);
                        var held = TierIndex(program, status.Tier);
                        Assert.True(held >= tier, $"{status.Tier} on {today} broke the promise of tier {tier} until {until}");
                        Assert.True(held > tier || status.HoldsUntil >= until,
                            $"{status.Tier} on {today} holds only until {status.HoldsUntil}, promised {until}");
                    }
                    // Catch-up before a purchase can only lower the tier, so a rise is reached by this window's own points.
                    if (transition?.Outcome is { } outcome && TierIndex(program, outcome.TierAfter) > TierIndex(program, outcome.TierBefore))
                        promises.Add((TierIndex(program, outcome.TierAfter), program.WindowAt(state.EnrolledOn, state.WindowEnd.AddDays(1)).End));
                },
            };
            runner.Run(s.Ops);
        });
}
