using Loyalty.Core.Ledger;
using Loyalty.Core.Members;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Application;

/// <summary>
/// What the HTTP handlers (both hosts) and the CLI call. Client mistakes come back as <see cref="Result{T}"/>
/// errors with stable codes (<see cref="ErrorCodes"/> and <see cref="ApplicationErrors"/>); exceptions mean a bug or
/// an outage. Every method is scoped to one program: nothing here can reach another program's rows.
/// </summary>
public interface IMemberService
{
    /// <summary>Enrols a member; card, phone, e-mail and external id must be free in the program. Issues the welcome reward once.</summary>
    Task<Result<MemberDetails>> EnrolAsync(LoadedProgram program, EnrolMember request, CancellationToken cancellationToken);

    /// <summary>Finds a member by exactly one identifier and returns the till view.</summary>
    Task<Result<MemberDetails>> IdentifyAsync(LoadedProgram program, MemberIdentifier identifier, CancellationToken cancellationToken);

    Task<Result<MemberDetails>> GetAsync(LoadedProgram program, string memberId, CancellationToken cancellationToken);

    /// <summary>
    /// Staff change contact details and consents, at once (a new phone or e-mail is claimed, receipts parked under it
    /// applied); a null field is left as it is. Audited: who, which fields, why. (A member's own change goes through
    /// <see cref="ISelfService"/>, where a new phone or e-mail waits for a code.)
    /// </summary>
    Task<Result<MemberDetails>> UpdateContactAsync(LoadedProgram program, string memberId, UpdateContact request, StaffChange by,
        CancellationToken cancellationToken);

    /// <summary>Puts <paramref name="memberId"/> in the household of <paramref name="householdOf"/> (stamps may then land on a shared card).</summary>
    Task<Result<MemberDetails>> LinkHouseholdAsync(LoadedProgram program, string memberId, string householdOf, CancellationToken cancellationToken);

    /// <summary>The member's receipts, newest first.</summary>
    Task<Result<Page<ReceiptSummary>>> ListReceiptsAsync(LoadedProgram program, string memberId, PageRequest page, CancellationToken cancellationToken);

    /// <summary>The member's ledger, newest first.</summary>
    Task<Result<Page<LedgerEntry>>> ListLedgerAsync(LoadedProgram program, string memberId, PageRequest page, CancellationToken cancellationToken);

    /// <summary>Turns points into a voucher of a till denomination; a retried <paramref name="requestId"/> returns the first outcome.</summary>
    Task<Result<Outcome>> ChooseVoucherAsync(LoadedProgram program, string memberId, string requestId, decimal value, CancellationToken cancellationToken);

    /// <summary>Redeems an open voucher exactly once, even when many requests race for it.</summary>
    Task<Result<Outcome>> RedeemVoucherAsync(LoadedProgram program, string memberId, string voucherId, string requestId, CancellationToken cancellationToken);
}
