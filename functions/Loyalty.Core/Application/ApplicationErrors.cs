using Loyalty.Core.Validation;

namespace Loyalty.Core.Application;

/// <summary>Error codes of the application layer (the domain's are in <see cref="ErrorCodes"/>).</summary>
public static class ApplicationErrors
{
    [Kind(ErrorKind.NotFound)] public const string MemberNotFound = "member.not_found";
    [Kind(ErrorKind.NotFound)] public const string ProgramNotFound = "program.not_found";
    [Kind(ErrorKind.NotFound)] public const string KeyNotFound = "key.not_found";
    [Kind(ErrorKind.Conflict)] public const string ProgramExists = "program.exists";
    [Kind(ErrorKind.Conflict)] public const string VersionConflict = "program.version_conflict";
    [Kind(ErrorKind.Conflict)] public const string IdentityTaken = "identity.taken";
    [Kind(ErrorKind.Invalid)] public const string InvalidPhone = "identity.invalid_phone";
    [Kind(ErrorKind.Invalid)] public const string InvalidEmail = "identity.invalid_email";
    [Kind(ErrorKind.Invalid)] public const string IdentifierCount = "identity.exactly_one";
    [Kind(ErrorKind.Invalid)] public const string InvalidContinuation = "page.invalid_continuation";
    [Kind(ErrorKind.Busy)] public const string Busy = "busy";
    [Kind(ErrorKind.NotFound)] public const string CampaignNotFound = "campaign.not_found";
    [Kind(ErrorKind.Conflict)] public const string CampaignExists = "campaign.exists";
    [Kind(ErrorKind.Conflict)] public const string CouponTaken = "campaign.coupon_taken";
    [Kind(ErrorKind.NotFound)] public const string SegmentNotFound = "segment.not_found";
    [Kind(ErrorKind.Conflict)] public const string SegmentExists = "segment.exists";
    [Kind(ErrorKind.Conflict)] public const string ReceiptIdTaken = "receipt.id_taken";
    [Kind(ErrorKind.Invalid)] public const string CodeInvalid = "auth.code_invalid";
    [Kind(ErrorKind.Invalid)] public const string CodeExpired = "auth.code_expired";
    [Kind(ErrorKind.Invalid)] public const string CodeLocked = "auth.code_locked";
    [Kind(ErrorKind.RateLimited)] public const string RateLimited = "auth.rate_limited";
    [Kind(ErrorKind.NotFound)] public const string ParkedReceiptNotFound = "receipt.parked_not_found";
    [Kind(ErrorKind.Conflict)] public const string ParkedReceiptUnclaimed = "receipt.parked_unclaimed";
    [Kind(ErrorKind.Conflict)] public const string ParkedReceiptRefused = "receipt.parked_refused";
}
