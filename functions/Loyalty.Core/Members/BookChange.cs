namespace Loyalty.Core.Members;

/// <summary>The book after an operation and the transition that produced it; a replay has no ledger entries or events.</summary>
public sealed record BookChange(MemberBook Book, Transition Transition, bool Replayed);
