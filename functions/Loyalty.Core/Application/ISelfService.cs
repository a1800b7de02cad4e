using Loyalty.Core.Members;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Application;

/// <summary>What a member does for themselves with a member token, beyond what the till does for them.</summary>
public interface ISelfService
{
    /// <summary>Open vouchers, and what campaigns gave the member (operations "campaign:…" in the member's history).</summary>
    Task<Result<MemberOffers>> OffersAsync(LoadedProgram program, string memberId, CancellationToken cancellationToken);

    /// <summary>
    /// A voucher of a program denomination for points, as at the till; the app's request ids live apart from the tills'
    /// (the operation is "app:{requestId}", a till's "till:{requestId}"), so the two can never answer each other's retries.
    /// </summary>
    Task<Result<Outcome>> ChooseVoucherAsync(LoadedProgram program, string memberId, string requestId, decimal value,
        CancellationToken cancellationToken);

    /// <summary>
    /// The member's own contact details: names, birth date, interests, consents (source "member") and clearing a phone
    /// or e-mail apply at once; a new phone or e-mail is only pending: a code goes to it, and nothing about it changes
    /// (it is not claimed, parked receipts stay parked) until <see cref="ConfirmContactAsync"/>.
    /// </summary>
    Task<Result<ContactUpdate>> UpdateContactAsync(LoadedProgram program, string memberId, UpdateContact request, string clientAddress,
        CancellationToken cancellationToken);

    /// <summary>Makes a pending phone or e-mail the member's, with the code sent to it.</summary>
    Task<Result<MemberDetails>> ConfirmContactAsync(LoadedProgram program, string memberId, ContactConfirmation request, string clientAddress,
        CancellationToken cancellationToken);
}
