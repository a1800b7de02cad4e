namespace Loyalty.Core.Validation;

/// <summary>
/// The stable error codes clients may switch on. Never rename one; add a new code instead. Each declares its
/// <see cref="ErrorKind"/>, which decides the HTTP status.
/// </summary>
public static class ErrorCodes
{
    [Kind(ErrorKind.Invalid)] public const string Required = "required";
    [Kind(ErrorKind.Invalid)] public const string OutOfRange = "out_of_range";
    [Kind(ErrorKind.Invalid)] public const string InvalidIdentifier = "invalid_identifier";
    [Kind(ErrorKind.Invalid)] public const string Duplicate = "duplicate";
    [Kind(ErrorKind.Invalid)] public const string NotAscending = "not_ascending";
    [Kind(ErrorKind.Invalid)] public const string InvalidCombination = "invalid_combination";
    [Kind(ErrorKind.Invalid)] public const string UnknownCurrency = "currency.unknown";
    [Kind(ErrorKind.Invalid)] public const string CurrencyMismatch = "currency.mismatch";
    [Kind(ErrorKind.Invalid)] public const string UnknownTimeZone = "time_zone.unknown";

    [Kind(ErrorKind.Invalid)] public const string ProgramMismatch = "program.mismatch";
    [Kind(ErrorKind.Invalid)] public const string NoProgramVersion = "program.no_version_in_force";
    [Kind(ErrorKind.Invalid)] public const string EffectiveFromInPast = "program.effective_from_in_past";

    [Kind(ErrorKind.Invalid)] public const string NoLines = "receipt.no_lines";
    [Kind(ErrorKind.Invalid)] public const string TooManyLines = "receipt.too_many_lines";
    [Kind(ErrorKind.Invalid)] public const string TotalMismatch = "receipt.total_mismatch";
    [Kind(ErrorKind.Invalid)] public const string InFuture = "receipt.in_future";
    [Kind(ErrorKind.Invalid)] public const string MemberMismatch = "receipt.member_mismatch";
    [Kind(ErrorKind.Invalid)] public const string LineAmountMismatch = "line.amount_mismatch";
    [Kind(ErrorKind.Invalid)] public const string ReservedId = "receipt.reserved_id";
    [Kind(ErrorKind.Conflict)] public const string StampsToOutsideHousehold = "receipt.stamps_to_outside_household";
    [Kind(ErrorKind.Invalid)] public const string ZeroQuantity = "line.zero_quantity";
    [Kind(ErrorKind.Invalid)] public const string NegativeQuantity = "line.negative_quantity";
    [Kind(ErrorKind.Invalid)] public const string NegativeAmount = "line.negative_amount";
    [Kind(ErrorKind.Invalid)] public const string LineAmountOverLimit = "line.amount_over_limit";
    [Kind(ErrorKind.Invalid)] public const string PointsOverLimit = "receipt.points_over_limit";

    [Kind(ErrorKind.Conflict)] public const string ReturnOfUnknownReceipt = "return.original_not_found";
    [Kind(ErrorKind.Conflict)] public const string ReturnOfReturn = "return.of_a_return";
    [Kind(ErrorKind.Invalid)] public const string ReturnPositiveQuantity = "return.positive_quantity";
    [Kind(ErrorKind.Invalid)] public const string ReturnPositiveAmount = "return.positive_amount";
    [Kind(ErrorKind.Conflict)] public const string ReturnLineNotInOriginal = "return.line_not_in_original";
    [Kind(ErrorKind.Conflict)] public const string ReturnExceedsOriginal = "return.exceeds_original";
    [Kind(ErrorKind.Invalid)] public const string ReturnWithVouchers = "return.vouchers_not_allowed";
    [Kind(ErrorKind.Invalid)] public const string OriginalLineOutsideReturn = "line.original_line_outside_return";

    [Kind(ErrorKind.Conflict)] public const string VoucherNotOpen = "voucher.not_open";
    [Kind(ErrorKind.Conflict)] public const string VoucherExpired = "voucher.expired";
    [Kind(ErrorKind.Conflict)] public const string VoucherItemNotOnReceipt = "voucher.item_not_on_receipt";
    [Kind(ErrorKind.Invalid)] public const string VoucherNoDenominations = "voucher.no_denominations";
    [Kind(ErrorKind.Invalid)] public const string VoucherUnknownDenomination = "voucher.unknown_denomination";
    [Kind(ErrorKind.Conflict)] public const string VoucherTooManyOpen = "voucher.too_many_open";
    [Kind(ErrorKind.Conflict)] public const string InsufficientPoints = "points.insufficient";
    [Kind(ErrorKind.Conflict)] public const string PointsOverflow = "points.overflow";

    [Kind(ErrorKind.Invalid)] public const string StampCardUnknown = "stamp_card.unknown";

    [Kind(ErrorKind.Invalid)] public const string RangeReversed = "range.min_above_max";
    [Kind(ErrorKind.Invalid)] public const string SegmentUnknownTier = "segment.unknown_tier";
    [Kind(ErrorKind.Invalid)] public const string TemplateMalformed = "template.malformed";
    [Kind(ErrorKind.Invalid)] public const string TemplateUnknownField = "template.unknown_field";
    [Kind(ErrorKind.Invalid)] public const string TemplateFieldNeedsOffer = "template.field_needs_offer";
    [Kind(ErrorKind.Conflict)] public const string CampaignInvalidTransition = "campaign.invalid_transition";
    [Kind(ErrorKind.Conflict)] public const string CampaignNothingToSchedule = "campaign.nothing_to_schedule";
    [Kind(ErrorKind.Invalid)] public const string CampaignRunNotDue = "campaign.run_not_due";
    [Kind(ErrorKind.Invalid)] public const string CampaignRunMismatch = "campaign.run_mismatch";
    [Kind(ErrorKind.Invalid)] public const string CampaignRunsRemaining = "campaign.runs_remaining";
    [Kind(ErrorKind.Conflict)] public const string CampaignNothingToRun = "campaign.nothing_to_run";
    [Kind(ErrorKind.Invalid)] public const string NightlyDateInvalid = "nightly.date_invalid";
    [Kind(ErrorKind.Conflict)] public const string NightlyDateInFuture = "nightly.date_in_future";
}
