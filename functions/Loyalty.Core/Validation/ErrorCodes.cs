namespace Loyalty.Core.Validation;

/// <summary>The stable error codes clients may switch on. Never rename one; add a new code instead.</summary>
public static class ErrorCodes
{
    public const string Required = "required";
    public const string OutOfRange = "out_of_range";
    public const string InvalidIdentifier = "invalid_identifier";
    public const string Duplicate = "duplicate";
    public const string NotAscending = "not_ascending";
    public const string InvalidCombination = "invalid_combination";
    public const string UnknownCurrency = "currency.unknown";
    public const string CurrencyMismatch = "currency.mismatch";
    public const string UnknownTimeZone = "time_zone.unknown";

    public const string ProgramMismatch = "program.mismatch";
    public const string NoProgramVersion = "program.no_version_in_force";
    public const string EffectiveFromInPast = "program.effective_from_in_past";

    public const string NoLines = "receipt.no_lines";
    public const string TooManyLines = "receipt.too_many_lines";
    public const string TotalMismatch = "receipt.total_mismatch";
    public const string InFuture = "receipt.in_future";
    public const string MemberMismatch = "receipt.member_mismatch";
    public const string LineAmountMismatch = "line.amount_mismatch";
    public const string ReservedId = "receipt.reserved_id";
    public const string StampsToOutsideHousehold = "receipt.stamps_to_outside_household";
    public const string ZeroQuantity = "line.zero_quantity";
    public const string NegativeQuantity = "line.negative_quantity";
    public const string NegativeAmount = "line.negative_amount";
    public const string LineAmountOverLimit = "line.amount_over_limit";
    public const string PointsOverLimit = "receipt.points_over_limit";

    public const string ReturnOfUnknownReceipt = "return.original_not_found";
    public const string ReturnOfReturn = "return.of_a_return";
    public const string ReturnPositiveQuantity = "return.positive_quantity";
    public const string ReturnPositiveAmount = "return.positive_amount";
    public const string ReturnLineNotInOriginal = "return.line_not_in_original";
    public const string ReturnExceedsOriginal = "return.exceeds_original";
    public const string ReturnWithVouchers = "return.vouchers_not_allowed";
    public const string OriginalLineOutsideReturn = "line.original_line_outside_return";

    public const string VoucherNotOpen = "voucher.not_open";
    public const string VoucherExpired = "voucher.expired";
    public const string VoucherItemNotOnReceipt = "voucher.item_not_on_receipt";
    public const string VoucherNoDenominations = "voucher.no_denominations";
    public const string VoucherUnknownDenomination = "voucher.unknown_denomination";
    public const string VoucherTooManyOpen = "voucher.too_many_open";
    public const string InsufficientPoints = "points.insufficient";
    public const string PointsOverflow = "points.overflow";

    public const string StampCardUnknown = "stamp_card.unknown";

    public const string RangeReversed = "range.min_above_max";
    public const string SegmentUnknownTier = "segment.unknown_tier";
    public const string TemplateMalformed = "template.malformed";
    public const string TemplateUnknownField = "template.unknown_field";
    public const string TemplateFieldNeedsOffer = "template.field_needs_offer";
    public const string CampaignInvalidTransition = "campaign.invalid_transition";
    public const string CampaignNothingToSchedule = "campaign.nothing_to_schedule";
    public const string CampaignRunNotDue = "campaign.run_not_due";
    public const string CampaignRunMismatch = "campaign.run_mismatch";
    public const string CampaignRunsRemaining = "campaign.runs_remaining";
    public const string CampaignNothingToRun = "campaign.nothing_to_run";
    public const string NightlyDateInvalid = "nightly.date_invalid";
    public const string NightlyDateInFuture = "nightly.date_in_future";
}
