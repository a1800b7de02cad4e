using Loyalty.Core.Events;
using Loyalty.Core.Ledger;
using Loyalty.Core.Programs;
using Loyalty.Core.StampCards;
using Loyalty.Core.Vouchers;

namespace Loyalty.Core.Members;

/// <summary>Stamp cards: adding stamps, completing cards into reward vouchers, taking stamps back.</summary>
internal sealed partial class MemberWork
{
    /// <summary>Adds stamps; each time the card is full it restarts and a reward voucher is issued.</summary>
    public void AddStamps(string cause, DateOnly on, CompiledStampCard card, int stamps)
    {
        var (index, progress) = Card(card.Definition.Id);
        Entry(LedgerKind.StampsAdded, on, cause, 0, stamps: stamps, reference: card.Definition.Id);
        SetCard(index, Complete(cause, on, card, progress with { Stamps = checked(progress.Stamps + stamps) }), stamps);
    }

    private void CompleteWaitingCards(string cause, DateOnly on)
    {
        foreach (var card in Program.StampCards)
        {
            var (index, progress) = Card(card.Definition.Id);
            if (index >= 0 && progress.Stamps >= card.Definition.StampsForReward) cards[index] = Complete(cause, on, card, progress);
        }
    }

    private StampCardProgress Complete(string cause, DateOnly on, CompiledStampCard card, StampCardProgress progress)
    {
        var definition = card.Definition;
        for (var n = 1; progress.Stamps >= definition.StampsForReward && HasRoom; n++)
        {
            progress = progress with { Stamps = progress.Stamps - definition.StampsForReward, Completed = progress.Completed + 1 };
            var id = $"{cause}:card:{definition.Id}:{n}";
            IssueVoucher(cause, on, id, VoucherSource.StampCard, definition.Reward.Value, definition.Reward.ValidDays, 0, definition.Reward, definition.Id);
            events.Add(
                new StampCardCompleted(EventId(cause, "stamp_card.completed", id), Program.ProgramId, MemberId, on, definition.Id, id, progress.Completed));
        }
        return progress;
    }

    /// <summary>
    /// Takes back stamps. If the card would go below zero, rewards the original receipt completed and that are still
    /// open are cancelled and their stamps restored; stamps owed beyond that are forgiven (the card stops at 0).
    /// </summary>
    public void RemoveStamps(string cause, DateOnly on, CompiledStampCard card, int stamps, string originalCause)
    {
        var definition = card.Definition;
        var (index, progress) = Card(definition.Id);
        var (count, completed) = (progress.Stamps - stamps, progress.Completed);
        for (var i = Vouchers.Count - 1; i >= 0 && count < 0; i--)
        {
            if (Vouchers[i] is not { Source: VoucherSource.StampCard } v || v.StampCardId != definition.Id || v.Cause != originalCause) continue;
            Cancel(cause, on, i);
            count += definition.StampsForReward;
            completed--;
        }
        count = Math.Max(count, 0);
        var delta = count - progress.Stamps;
        Entry(LedgerKind.StampsRemoved, on, cause, 0, stamps: delta, reference: definition.Id);
        SetCard(index, new StampCardProgress(definition.Id, count, completed), delta);
    }

    private (int Index, StampCardProgress Progress) Card(string id)
    {
        var i = cards.FindIndex(c => c.CardId == id);
        return i >= 0 ? (i, cards[i]) : (-1, new StampCardProgress(id, 0, 0));
    }

    private void SetCard(int index, StampCardProgress progress, int added)
    {
        if (index >= 0) cards[index] = progress;
        else cards.Add(progress);
        stampChanges.Add(new StampChange(progress.CardId, added, progress.Stamps, progress.Completed));
    }
}
