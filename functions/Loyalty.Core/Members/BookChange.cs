namespace Loyalty.Core.Members;

/// <summary>The book after an operation and the transition that produced it; a replay has no ledger entries or events.</summary>
public sealed record BookChange(MemberBook Book, Transition Transition, bool Replayed)
{
    /// <summary>The record the operation adds to the book; null for a replay and for a review, which needs none.</summary>
    public OperationRecord? Recorded { get; init; }

    /// <summary>Earlier records the operation changed: the purchase whose returned quantities a return raised.</summary>
    public IReadOnlyList<OperationRecord> Updated { get; init; } = [];
}
