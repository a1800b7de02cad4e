namespace Loyalty.Core.Members;

/// <summary>
/// The idempotency record of one applied operation, keyed by <see cref="Id"/>: a receipt id, "till:{requestId}"
/// or a stamp transfer's id. Storage keeps it as the receipt row inserted in the same transaction as the state.
/// </summary>
public sealed record OperationRecord(string Id, Outcome Outcome, ScoredPurchase? Purchase = null);
