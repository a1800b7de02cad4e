using Loyalty.Core.Members;
using Loyalty.Core.Programs;
using Loyalty.Core.Tiers;

namespace Loyalty.Core.Views;

/// <summary>Builds the member view: one pure function of state, program and date, used by both the till and the app.</summary>
public static class MemberViews
{
    public static MemberView Build(MemberState state, CompiledProgram program, DateOnly today)
    {
        var work = new MemberWork(state, program);
        work.AdvanceTo(today);
        var tier = TierEvaluator.Status(work);
        var definition = program.Definition;
        var messages = new List<ViewMessage>();

        messages.Add(tier.HoldsUntil is { } until
            ? Message("tier.current", ("tier", tier.Tier), ("until", until))
            : Message("tier.base", ("tier", tier.Tier)));
        if (tier.PointsToKeepTier is { } keep)
            messages.Add(Message("tier.keep", ("tier", tier.Tier), ("pointsLeft", keep), ("by", tier.Window.End)));
        if (tier.NextTier is null)
            messages.Add(Message("tier.top", ("tier", tier.Tier)));
        else if (tier.NextTierDeadline is { } by)
            messages.Add(Message("tier.progress", ("pointsLeft", tier.PointsToNextTier!.Value), ("nextTier", tier.NextTier), ("by", by)));
        else
            messages.Add(Message("tier.progress.rolling", ("pointsLeft", tier.PointsToNextTier!.Value), ("nextTier", tier.NextTier)));

        var value = BalanceValue(program, work.Balance);
        messages.Add(Message("points.balance", ("points", work.Balance), ("value", value), ("currency", program.Currency)));
        if (work.Debt > 0) messages.Add(Message("points.debt", ("points", work.Debt)));
        long? toNextVoucher = null;
        if (definition.Vouchers.Automatic is { } auto)
        {
            toNextVoucher = auto.EveryPoints - Math.Max(work.Balance, 0) % auto.EveryPoints;
            messages.Add(Message("voucher.progress", ("pointsLeft", toNextVoucher.Value), ("value", auto.Value), ("currency", program.Currency)));
        }

        var horizon = today.AddDays(definition.ExpiringSoonDays);
        var expiring = new List<ExpiringPoints>();
        foreach (var lot in work.Lots)
        {
            var lastDay = program.LotLastValidDay(lot.Month);
            if (lastDay > horizon) break;
            expiring.Add(new ExpiringPoints(lastDay, lot.Points));
            messages.Add(Message("points.expiring", ("points", lot.Points), ("lastDay", lastDay)));
        }

        foreach (var voucher in work.Vouchers)
            messages.Add(Message("voucher.open", ("voucherId", voucher.Id), ("value", voucher.Value), ("currency", voucher.Currency),
                ("expiresOn", voucher.ExpiresOn)));

        var cards = new List<StampCardView>();
        foreach (var card in program.StampCards)
        {
            var definitionCard = card.Definition;
            var progress = work.Cards.FirstOrDefault(c => c.CardId == definitionCard.Id);
            var stamps = progress?.Stamps ?? 0;
            var left = definitionCard.StampsForReward - stamps;
            cards.Add(new StampCardView(definitionCard.Id, definitionCard.Name, stamps, definitionCard.StampsForReward, left, progress?.Completed ?? 0));
            messages.Add(Message("stamp_card.progress", ("card", definitionCard.Name), ("stamps", stamps), ("of", definitionCard.StampsForReward),
                ("left", left)));
        }

        return new MemberView
        {
            ProgramId = program.ProgramId,
            MemberId = state.MemberId,
            AsOf = today,
            Tier = tier.Tier,
            Benefits = tier.Benefits,
            HoldsUntil = tier.HoldsUntil,
            Balance = work.Balance,
            BalanceValue = value,
            Currency = program.Currency,
            Debt = work.Debt,
            QualifyingPoints = tier.QualifyingPoints,
            WindowStart = tier.Window.Start,
            WindowEnd = tier.Window.End,
            NextTier = tier.NextTier,
            PointsToNextTier = tier.PointsToNextTier,
            NextTierDeadline = tier.NextTierDeadline,
            PointsToKeepTier = tier.PointsToKeepTier,
            PointsToNextVoucher = toNextVoucher,
            VoucherChoices = definition.Vouchers.Automatic is null
                ? [.. definition.Vouchers.Denominations.Where(d => d.Points <= work.Balance).OrderBy(d => d.Points)]
                : [],
            ExpiringSoon = expiring,
            OpenVouchers = [.. work.Vouchers],
            StampCards = cards,
            Messages = messages,
        };
    }

    /// <summary>
    /// "10,000 points = 400 kr": the dearest single denomination the balance buys, as the till offers one voucher at a
    /// time; under automatic vouchers, what the balance would convert to.
    /// </summary>
    public static decimal BalanceValue(CompiledProgram program, long balance)
    {
        var rules = program.Definition.Vouchers;
        if (balance <= 0) return 0m;
        if (rules.Automatic is { } auto) return balance / auto.EveryPoints * auto.Value;
        var best = 0m;
        foreach (var d in rules.Denominations)
            if (d.Points <= balance && d.Value > best) best = d.Value;
        return best;
    }

    private static ViewMessage Message(string key, params (string Name, object Value)[] args) =>
        new(key, args.ToDictionary(a => a.Name, a => a.Value));
}
