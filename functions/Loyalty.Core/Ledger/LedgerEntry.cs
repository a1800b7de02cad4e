namespace Loyalty.Core.Ledger;

/// <summary>
/// One change to a member's points, qualifying points, debt or stamps. The member's balance is the sum of
/// <see cref="Points"/> over the ledger, and the qualifying points of the open window the sum of <see cref="QualifyingPoints"/>.
/// Ids are "{memberId}/{cause}/{n}", so replaying a cause yields the same ids.
/// </summary>
public sealed record LedgerEntry(
    string Id,
    string MemberId,
    LedgerKind Kind,
    DateOnly On,
    string Cause,
    long Points,
    long QualifyingPoints = 0,
    long Debt = 0,
    int Stamps = 0,
    string? Reference = null);

public enum LedgerKind
{
    Earned,
    Returned,
    Expired,
    VoucherIssued,
    VoucherCancelled,
    VoucherRedeemed,
    VoucherExpired,
    DebtRecorded,
    DebtRepaid,
    QualifyingReset,
    QualifyingLapsed,
    StampsAdded,
    StampsRemoved,
}
