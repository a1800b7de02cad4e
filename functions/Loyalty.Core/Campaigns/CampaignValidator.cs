using Loyalty.Core.Programs;
using Loyalty.Core.Segments;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Campaigns;

/// <summary>Checks a campaign definition and reports every problem with a field path, so a marketer fixes it in one go.</summary>
public static class CampaignValidator
{
    /// <summary>Longest message text: an e-mail body; SMS providers split long texts themselves.</summary>
    public const int MaxTextLength = 4_000;

    /// <summary>Campaign and segment ids; with a run id they make a delivery's operation id, which must fit a table key.</summary>
    public const int MaxIdLength = 60;

    /// <summary>Campaign and segment names.</summary>
    public const int MaxNameLength = 200;

    /// <summary>Schedule dates: the calendar arithmetic looks years ahead of them, which must stay within the calendar.</summary>
    private static readonly DateOnly EarliestDate = new(2000, 1, 1), LatestDate = new(2199, 12, 31);

    /// <summary>Bounds of a voucher offer, as for a program's vouchers (<see cref="ProgramValidator"/>).</summary>
    private const int MaxValidDays = ProgramValidator.MaxValidDays;

    /// <param name="program">When given, an inline segment's tiers must be the program's.</param>
    public static IReadOnlyList<ValidationError> Validate(CampaignDefinition campaign, CompiledProgram? program = null)
    {
        var errors = new ErrorList();
        OperationPart(campaign.CampaignId, "campaignId", MaxIdLength, errors);
        errors.Text(campaign.Name, "name", MaxNameLength);
        ValidateSegment(campaign, program, errors);
        ValidateOffer(campaign.Offer, "offer", errors);
        ValidateMessage(campaign, errors);
        ValidateSchedule(campaign.Schedule, "schedule", errors);
        if (campaign.AttributionDays is < 1 or > 90)
            errors.Add(ErrorCodes.OutOfRange, "attributionDays", "attributionDays must be between 1 and 90.");
        if (campaign.GraceHours is < 1 or > 168)
            errors.Add(ErrorCodes.OutOfRange, "graceHours", "graceHours must be between 1 and 168 (a week).");
        return errors.Items;
    }

    private static void ValidateSegment(CampaignDefinition campaign, CompiledProgram? program, ErrorList errors)
    {
        switch (campaign.SegmentId, campaign.Segment)
        {
            case (null, null):
                errors.Add(ErrorCodes.Required, "segment", "Give a segment, or a segmentId (an empty segment {} is everyone).");
                break;
            case (not null, not null):
                errors.Add(ErrorCodes.InvalidCombination, "segmentId", "Give a segment or a segmentId, not both.");
                break;
            case ({ } id, null):
                errors.Identifier(id, "segmentId", MaxIdLength);
                break;
            case (null, { } segment):
                SegmentValidator.Validate(segment, program, "segment", errors);
                break;
        }
    }

    /// <summary>
    /// Campaign and run ids make up delivery operation ids ("campaign:{campaignId}:{runId}"): short enough for a table
    /// key together, and without ':' so <see cref="CampaignDispatch.TryParseOperation"/> can take one apart again.
    /// </summary>
    internal static void OperationPart(string? id, string path, int maxLength, ErrorList errors)
    {
        errors.Identifier(id, path, maxLength);
        if (id is not null && id.Contains(':'))
            errors.Add(ErrorCodes.InvalidIdentifier, path, $"{path} cannot contain ':'; it separates the parts of a delivery's operation id.");
    }

    internal static void ValidateOffer(Offer offer, string path, ErrorList errors)
    {
        if (!Enum.IsDefined(offer.Kind))
        {
            errors.Add(ErrorCodes.OutOfRange, $"{path}.kind", "kind is one of none, coupon, voucher, bonusPoints.");
            return;
        }
        var coupon = offer.Kind == OfferKind.Coupon;
        var voucher = offer.Kind == OfferKind.Voucher;
        var bonus = offer.Kind == OfferKind.BonusPoints;
        Field(offer.Code is not null, coupon, "code");
        Field(offer.Description is not null, coupon, "description", optional: true);
        Field(offer.Value is not null, voucher, "value");
        Field(offer.ValidDays is not null, voucher, "validDays");
        Field(offer.Points is not null, bonus, "points");
        if (coupon && offer.Code is { } code) errors.Identifier(code, $"{path}.code", Ids.MaxCodeLength);
        if (coupon && offer.Description is { } description) errors.Text(description, $"{path}.description", MaxNameLength);
        if (voucher && offer.Value is <= 0 or > ProgramValidator.MaxVoucherValue)
            errors.Add(ErrorCodes.OutOfRange, $"{path}.value", $"A voucher's value is above 0 and at most {ProgramValidator.MaxVoucherValue}.");
        if (voucher && offer.ValidDays is < 1 or > MaxValidDays)
            errors.Add(ErrorCodes.OutOfRange, $"{path}.validDays", $"A voucher is valid for 1 to {MaxValidDays} days.");
        if (bonus && offer.Points is < 1 or > 1_000_000) errors.Add(ErrorCodes.OutOfRange, $"{path}.points", "Bonus points are 1 to 1,000,000.");

        void Field(bool present, bool belongs, string name, bool optional = false)
        {
            if (present && !belongs)
                errors.Add(ErrorCodes.InvalidCombination, $"{path}.{name}", $"{name} does not belong to a {offer.Kind} offer.");
            else if (!present && belongs && !optional)
                errors.Add(ErrorCodes.Required, $"{path}.{name}", $"A {offer.Kind} offer needs {name}.");
        }
    }

    private static void ValidateMessage(CampaignDefinition campaign, ErrorList errors)
    {
        var message = campaign.Message;
        if (!Enum.IsDefined(message.Channel))
            errors.Add(ErrorCodes.OutOfRange, "message.channel", "channel is one of email, sms, push.");
        if (message.Text is { Length: > MaxTextLength })
        {
            errors.Add(ErrorCodes.OutOfRange, "message.text", $"The text is at most {MaxTextLength} characters.");
            return;
        }
        var template = MessageTemplate.Parse(message.Text, campaign.Offer.Kind, "message.text");
        if (!template.IsValid) errors.AddRange(template.Errors);
    }

    private static void ValidateSchedule(CampaignSchedule schedule, string path, ErrorList errors)
    {
        if (!Enum.IsDefined(schedule.Kind))
        {
            errors.Add(ErrorCodes.OutOfRange, $"{path}.kind", "kind is one of once, weekly, monthly, annual.");
            return;
        }
        var kind = schedule.Kind;
        Field(schedule.Date is not null, kind == ScheduleKind.Once, "date");
        Field(schedule.DaysOfWeek.Count > 0, kind == ScheduleKind.Weekly, "daysOfWeek");
        Field(schedule.DaysOfMonth.Count > 0, kind == ScheduleKind.Monthly, "daysOfMonth");
        Field(schedule.Dates.Count > 0, kind == ScheduleKind.Annual, "dates");
        if (schedule.Months.Count > 0 && kind is not (ScheduleKind.Weekly or ScheduleKind.Monthly))
            errors.Add(ErrorCodes.InvalidCombination, $"{path}.months", "months filters a weekly or monthly schedule.");
        if (kind == ScheduleKind.Once && (schedule.StartDate is not null || schedule.EndDate is not null))
            errors.Add(ErrorCodes.InvalidCombination, $"{path}.startDate", "A one-off schedule has a date, not a start and end.");
        foreach (var (date, name) in new[] { (schedule.Date, "date"), (schedule.StartDate, "startDate"), (schedule.EndDate, "endDate") })
            if (date is { } d && (d < EarliestDate || d > LatestDate))
                errors.Add(ErrorCodes.OutOfRange, $"{path}.{name}", $"{name} lies between {EarliestDate:yyyy-MM-dd} and {LatestDate:yyyy-MM-dd}.");
        if (schedule.StartDate > schedule.EndDate)
            errors.Add(ErrorCodes.RangeReversed, $"{path}.endDate",
                $"endDate {schedule.EndDate:yyyy-MM-dd} is before startDate {schedule.StartDate:yyyy-MM-dd}.");
        for (var i = 0; i < schedule.DaysOfWeek.Count; i++)
            if (!Enum.IsDefined(schedule.DaysOfWeek[i]))
                errors.Add(ErrorCodes.OutOfRange, $"{path}.daysOfWeek[{i}]", "A day of the week is monday to sunday.");
        for (var i = 0; i < schedule.DaysOfMonth.Count; i++)
            if (schedule.DaysOfMonth[i] is < 1 or > 31)
                errors.Add(ErrorCodes.OutOfRange, $"{path}.daysOfMonth[{i}]", "A day of the month is 1 to 31.");
        for (var i = 0; i < schedule.Months.Count; i++)
            if (schedule.Months[i] is < 1 or > 12)
                errors.Add(ErrorCodes.OutOfRange, $"{path}.months[{i}]", "A month is 1 (January) to 12 (December).");
        for (var i = 0; i < schedule.Dates.Count; i++)
        {
            DayOfYear(schedule.Dates[i].From, $"{path}.dates[{i}].from");
            DayOfYear(schedule.Dates[i].To, $"{path}.dates[{i}].to");
        }
        if (kind == ScheduleKind.Monthly && schedule.Months.Count > 0 && schedule.DaysOfMonth.Count > 0 &&
            !schedule.Months.Any(m => schedule.DaysOfMonth.Any(d => m is >= 1 and <= 12 && d <= DateTime.DaysInMonth(2028, m))))
            errors.Add(ErrorCodes.InvalidCombination, $"{path}.daysOfMonth", "None of these days exists in any of the months: the campaign would never run.");

        void Field(bool present, bool belongs, string name)
        {
            if (present && !belongs)
                errors.Add(ErrorCodes.InvalidCombination, $"{path}.{name}", $"{name} does not belong to a {kind} schedule.");
            else if (!present && belongs)
                errors.Add(ErrorCodes.Required, $"{path}.{name}", $"A {kind} schedule needs {name}.");
        }

        void DayOfYear(MonthDay? day, string at)
        {
            // 2028 is a leap year: 29 February is a day of the year, occurring in leap years only.
            if (day is null) errors.Add(ErrorCodes.Required, at, $"{at} is required.");
            else if (day.Month is < 1 or > 12 || day.Day < 1 || day.Day > DateTime.DaysInMonth(2028, day.Month))
                errors.Add(ErrorCodes.OutOfRange, at, $"{day.Month}-{day.Day} is not a day of the year.");
        }
    }
}
