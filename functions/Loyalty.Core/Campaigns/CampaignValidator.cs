using Loyalty.Core.Programs;
using Loyalty.Core.Segments;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Campaigns;

/// <summary>Checks a campaign definition and reports every problem with a field path, so a marketer fixes it in one go.</summary>
public static class CampaignValidator
{
    /// <summary>Longest message text: an e-mail body; SMS providers split long texts themselves.</summary>
    public const int MaxTextLength = 4_000;

    /// <param name="program">When given, an inline segment's tiers must be the program's.</param>
    public static IReadOnlyList<ValidationError> Validate(CampaignDefinition campaign, CompiledProgram? program = null)
    {
        var errors = new ErrorList();
        OperationPart(campaign.CampaignId, "campaignId", 60, errors);
        if (string.IsNullOrWhiteSpace(campaign.Name)) errors.Add(ErrorCodes.Required, "name", "A campaign needs a name.");
        else if (campaign.Name.Length > 200) errors.Add(ErrorCodes.OutOfRange, "name", "name is at most 200 characters.");
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
                errors.Identifier(id, "segmentId");
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
        if (coupon && offer.Code is { } code && (string.IsNullOrWhiteSpace(code) || code.Length > 40 || code.Any(char.IsControl)))
            errors.Add(ErrorCodes.OutOfRange, $"{path}.code", "A coupon code is 1–40 characters, e.g. PIZZA15.");
        if (voucher && offer.Value is <= 0) errors.Add(ErrorCodes.OutOfRange, $"{path}.value", "A voucher's value must be above 0.");
        if (voucher && offer.ValidDays is < 1) errors.Add(ErrorCodes.OutOfRange, $"{path}.validDays", "A voucher must be valid for at least 1 day.");
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
        if (schedule.StartDate > schedule.EndDate)
            errors.Add(ErrorCodes.RangeReversed, $"{path}.endDate", $"endDate {schedule.EndDate:yyyy-MM-dd} is before startDate {schedule.StartDate:yyyy-MM-dd}.");
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
