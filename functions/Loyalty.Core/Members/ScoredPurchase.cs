using System.Collections.Immutable;
using Loyalty.Core.Accrual;
using Loyalty.Core.Receipts;

namespace Loyalty.Core.Members;

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
