using System.Collections.Immutable;
using Loyalty.Core.Accrual;
using Loyalty.Core.Receipts;

namespace Loyalty.Core.Members;

/// <summary>
/// The idempotency record of one applied operation, keyed by <see cref="Id"/>: a receipt id, "till:{requestId}"
/// or a stamp transfer's id. Storage keeps it as the receipt row inserted in the same transaction as the state.
/// </summary>
public sealed record OperationRecord(string Id, Outcome Outcome, ScoredPurchase? Purchase = null);

/// <summary>
/// A purchase as scored, kept so returns reverse exactly what each line earned, however the program changed since.
/// <see cref="Returned"/> holds the quantity already returned per line.
/// </summary>
public sealed record ScoredPurchase(
    Receipt Receipt,
    int ProgramVersion,
    DateOnly On,
    DateOnly CountedInWindow,
    ImmutableArray<LineScore> Lines,
    ImmutableArray<decimal> Returned);
