using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loyalty.Core.Application;
using Loyalty.Core.Campaigns;
using Loyalty.Core.Segments;
using Loyalty.Core.Serialization;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Tests;

/// <summary>Campaign definitions, the lifecycle draft → scheduled → running → completed | cancelled, and when runs fall due.</summary>
public class CampaignTests
{
    private static readonly TimeZoneInfo Stockholm = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");

    public static CampaignDefinition Advent() => new()
    {
        CampaignId = "advent-2027",
        Name = "Advent calendar",
        Segment = new SegmentDefinition { Tiers = ["Silver", "Gold"] },
        Offer = new Offer { Kind = OfferKind.Coupon, Code = "ADVENT", Description = "a gift every day" },
        Message = new CampaignMessage { Channel = ConsentChannel.Sms, Text = "Hi {firstName|there}! Today's door: show {coupon} at the till." },
        Schedule = CampaignScheduleTests.Advent with { StartDate = new DateOnly(2027, 1, 1), EndDate = new DateOnly(2027, 12, 31) },
    };

    private static DateTimeOffset Local(int month, int day, int hour, int minute = 0) => new(2027, month, day, hour, minute, 0, TimeSpan.FromHours(1));

    private static Campaign Scheduled(CampaignDefinition? definition = null, DateTimeOffset? at = null) =>
        Campaign.Create(definition ?? Advent()).Value.Schedule(Stockholm, at ?? Local(11, 1, 12)).Value;

    private static Campaign Ran(Campaign campaign, string runId, DateTimeOffset now) =>
        campaign.Start(runId, Stockholm, now).Value.Finish(runId, Stockholm, now.AddMinutes(20)).Value;

    [Fact]
    public void A_campaign_is_drafted_scheduled_run_once_per_occurrence_and_completed_after_the_last()
    {
        var draft = Campaign.Create(Advent()).Value;
        Assert.Equal(CampaignStatus.Draft, draft.Status);
        Assert.Empty(draft.DueRuns(Stockholm, Local(12, 1, 9)));

        var campaign = draft.Schedule(Stockholm, Local(11, 1, 12)).Value;
        Assert.Equal(CampaignStatus.Scheduled, campaign.Status);
        Assert.Equal(Local(12, 1, 8), campaign.NextRunAt(Stockholm, Local(11, 1, 12)));
        Assert.Empty(campaign.DueRuns(Stockholm, Local(12, 1, 7, 59)));
        var due = Assert.Single(campaign.DueRuns(Stockholm, Local(12, 1, 8, 1)));
        Assert.Equal("20271201T0800", due.RunId);

        var running = campaign.Start(due.RunId, Stockholm, Local(12, 1, 8, 1)).Value;
        Assert.Equal((CampaignStatus.Running, "20271201T0800", 1), (running.Status, running.CurrentRunId, running.RunsStarted));
        Assert.Same(running, running.Start(due.RunId, Stockholm, Local(12, 1, 8, 2)).Value);
        Assert.Empty(running.DueRuns(Stockholm, Local(12, 2, 9)));

        var between = running.Finish(due.RunId, Stockholm, Local(12, 1, 8, 30)).Value;
        Assert.Equal((CampaignStatus.Scheduled, null, 1), (between.Status, between.CurrentRunId, between.RunsCompleted));
        Assert.Same(between, between.Finish(due.RunId, Stockholm, Local(12, 1, 8, 31)).Value);
        Assert.Equal(ErrorCodes.CampaignRunNotDue, between.Start(due.RunId, Stockholm, Local(12, 1, 9)).Errors[0].Code);

        for (var day = 2; day <= 24; day++) between = Ran(between, $"202712{day:00}T0800", Local(12, day, 8, 5));
        Assert.Equal((CampaignStatus.Completed, 24, 24, "20271224T0800"), (between.Status, between.RunsStarted, between.RunsCompleted, between.LastRunId));
        Assert.Null(between.NextRunAt(Stockholm, Local(12, 25, 0)));
    }

    [Fact]
    public void Run_now_starts_the_next_occurrence_early_which_then_does_not_run_again_at_its_time()
    {
        var running = Scheduled().StartNow(Stockholm, Local(11, 15, 9)).Value;
        Assert.Equal((CampaignStatus.Running, "20271201T0800"), (running.Status, running.CurrentRunId));
        Assert.Same(running, running.StartNow(Stockholm, Local(11, 15, 10)).Value);

        var finished = running.Finish("20271201T0800", Stockholm, Local(11, 15, 11)).Value;
        Assert.Equal(CampaignStatus.Scheduled, finished.Status);
        Assert.Empty(finished.DueRuns(Stockholm, Local(12, 1, 8, 30)));
        Assert.Equal("20271202T0800", Assert.Single(finished.DueRuns(Stockholm, Local(12, 2, 8, 30))).RunId);

        Assert.Equal(ErrorCodes.CampaignInvalidTransition, Campaign.Create(Advent()).Value.StartNow(Stockholm, Local(11, 15, 9)).Errors[0].Code);
        Assert.Equal(ErrorCodes.CampaignInvalidTransition, Scheduled().Cancel(Local(11, 2, 9)).Value.StartNow(Stockholm, Local(11, 15, 9)).Errors[0].Code);
    }

    [Fact]
    public void Invalid_transitions_and_runs_are_refused_with_their_codes()
    {
        var draft = Campaign.Create(Advent()).Value;
        Assert.Equal(ErrorCodes.CampaignInvalidTransition, draft.Start("20271201T0800", Stockholm, Local(12, 1, 9)).Errors[0].Code);
        Assert.Equal(ErrorCodes.CampaignInvalidTransition, draft.Finish("20271201T0800", Stockholm, Local(12, 1, 9)).Errors[0].Code);

        var scheduled = Scheduled();
        Assert.Equal(ErrorCodes.CampaignInvalidTransition, scheduled.Schedule(Stockholm, Local(11, 2, 9)).Errors[0].Code);
        Assert.Equal(ErrorCodes.CampaignRunNotDue, scheduled.Start("20271202T0800", Stockholm, Local(12, 1, 9)).Errors[0].Code); // tomorrow's
        Assert.Equal(ErrorCodes.CampaignRunNotDue, scheduled.Start("20271201T0900", Stockholm, Local(12, 1, 9)).Errors[0].Code); // not an occurrence
        var running = scheduled.Start("20271201T0800", Stockholm, Local(12, 1, 9)).Value;
        Assert.Equal(ErrorCodes.CampaignRunMismatch, running.Finish("20271130T0800", Stockholm, Local(12, 1, 9)).Errors[0].Code);
        Assert.Equal(ErrorCodes.CampaignInvalidTransition, running.Complete(Stockholm, Local(12, 1, 9)).Errors[0].Code);
        Assert.Equal(ErrorCodes.CampaignRunsRemaining, Scheduled().Complete(Stockholm, Local(12, 1, 9)).Errors[0].Code);

        var past = Advent() with { Schedule = new CampaignSchedule { Kind = ScheduleKind.Once, Date = new DateOnly(2027, 1, 5), Time = new TimeOnly(9, 0) } };
        Assert.Equal(ErrorCodes.CampaignNothingToSchedule, Campaign.Create(past).Value.Schedule(Stockholm, Local(2, 1, 9)).Errors[0].Code);
    }

    [Fact]
    public void Cancelling_stops_a_draft_a_scheduled_or_a_running_campaign_for_good()
    {
        Assert.Equal(CampaignStatus.Cancelled, Campaign.Create(Advent()).Value.Cancel(Local(11, 1, 9)).Value.Status);
        var cancelled = Scheduled().Cancel(Local(11, 2, 9)).Value;
        Assert.Equal((CampaignStatus.Cancelled, Local(11, 2, 9)), (cancelled.Status, cancelled.ChangedAt));
        Assert.Empty(cancelled.DueRuns(Stockholm, Local(12, 1, 9)));
        Assert.Null(cancelled.NextRunAt(Stockholm, Local(12, 1, 9)));
        Assert.Same(cancelled, cancelled.Cancel(Local(11, 3, 9)).Value);

        var stopped = Scheduled().Start("20271201T0800", Stockholm, Local(12, 1, 9)).Value.Cancel(Local(12, 1, 9, 5)).Value;
        Assert.Equal((CampaignStatus.Cancelled, "20271201T0800"), (stopped.Status, stopped.CurrentRunId));
        Assert.Equal(ErrorCodes.CampaignInvalidTransition, stopped.Finish("20271201T0800", Stockholm, Local(12, 1, 9, 30)).Errors[0].Code);
        Assert.Equal(ErrorCodes.CampaignInvalidTransition, stopped.Start("20271202T0800", Stockholm, Local(12, 2, 9)).Errors[0].Code);

        var once = Advent() with { Schedule = new CampaignSchedule { Kind = ScheduleKind.Once, Date = new DateOnly(2027, 12, 1), Time = new TimeOnly(8, 0) } };
        var completed = Ran(Scheduled(once), "20271201T0800", Local(12, 1, 8, 1));
        Assert.Equal(CampaignStatus.Completed, completed.Status);
        Assert.Equal(ErrorCodes.CampaignInvalidTransition, completed.Cancel(Local(12, 2, 9)).Errors[0].Code);
    }

    [Fact]
    public void After_an_outage_each_missed_occurrence_runs_once_unless_older_than_the_grace()
    {
        var campaign = Ran(Scheduled(), "20271201T0800", Local(12, 1, 8, 1));
        // The scheduler is down from 1 December until 10:00 on 4 December: the 2nd and 3rd are over 24 hours old.
        Assert.Equal(["20271204T0800"], campaign.DueRuns(Stockholm, Local(12, 4, 10)).Select(r => r.RunId));
        var patient = Ran(Scheduled(Advent() with { GraceHours = 72 }), "20271201T0800", Local(12, 1, 8, 1));
        Assert.Equal(["20271202T0800", "20271203T0800", "20271204T0800"], patient.DueRuns(Stockholm, Local(12, 4, 10)).Select(r => r.RunId));
        // Runs go in order: once the 4th has run, the skipped ones are behind it for good.
        var after = Ran(campaign, "20271204T0800", Local(12, 4, 10));
        Assert.Empty(after.DueRuns(Stockholm, Local(12, 4, 12)));
        Assert.Equal(ErrorCodes.CampaignRunNotDue, after.Start("20271203T0800", Stockholm, Local(12, 4, 12)).Errors[0].Code);
        // Down over the last days: nothing is left to run and the campaign completes without a run.
        Assert.False(after.HasRunsLeft(Stockholm, Local(12, 28, 9)));
        Assert.Equal(CampaignStatus.Completed, after.Complete(Stockholm, Local(12, 28, 9)).Value.Status);
        // Occurrences before the campaign was scheduled never run.
        Assert.Equal(["20271205T0800"], Scheduled(at: Local(12, 5, 7)).DueRuns(Stockholm, Local(12, 5, 9)).Select(r => r.RunId));
    }

    /// <summary>
    /// A scheduler that looks at least once per grace period, starts every due run and finishes it before the next
    /// look, starts every occurrence after scheduling exactly once, in order, and ends with the campaign completed.
    /// </summary>
    [Property(MaxTest = 100)]
    public Property A_scheduler_that_looks_often_enough_runs_every_occurrence_exactly_once() =>
        Prop.ForAll(CampaignScheduleTests.Schedules(), Gen.ListOf(Gen.Choose(1, 23 * 60)).ToArbitrary(), Gen.Choose(0, 400).ToArbitrary(),
            (s, gaps, startDay) =>
        {
            var (schedule, zone) = s;
            var start = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(startDay);
            var end = DateOnly.FromDateTime(start.UtcDateTime).AddDays(60);
            var definition = Advent() with { Schedule = schedule with { EndDate = end } };
            var scheduled = Campaign.Create(definition).Value.Schedule(zone, start);
            if (!scheduled.IsValid) return;
            var campaign = scheduled.Value;
            var now = start;
            var started = new List<ScheduledRun>();
            var i = 0;
            while (campaign.Status == CampaignStatus.Scheduled && now < start.AddDays(100))
            {
                now = now.AddMinutes(gaps.Count == 0 ? 600 : gaps[i++ % gaps.Count]);
                foreach (var run in campaign.DueRuns(zone, now))
                {
                    Assert.True(run.At <= now && run.At > now.AddHours(-definition.GraceHours));
                    campaign = campaign.Start(run.RunId, zone, now).Value.Finish(run.RunId, zone, now).Value;
                    started.Add(run);
                }
            }
            Assert.Equal(CampaignStatus.Completed, campaign.Status);
            Assert.Equal(definition.Schedule.Occurrences(zone, start, now).ToList(), started);
            Assert.Equal((started.Count, started.Count), (campaign.RunsStarted, campaign.RunsCompleted));
        });

    [Fact]
    public void A_definition_reports_every_mistake_with_its_path()
    {
        var bad = Advent() with
        {
            CampaignId = "a/b",
            Name = "",
            SegmentId = "vip",
            Offer = new Offer { Kind = OfferKind.Voucher, Code = "X", Value = 0m },
            Message = new CampaignMessage { Channel = (ConsentChannel)9, Text = "Hi {firstname}, {coupon} and {nope" },
            Schedule = new CampaignSchedule { Kind = ScheduleKind.Weekly, Time = new TimeOnly(8, 0), Months = [13], StartDate = new DateOnly(2027, 2, 1),
            EndDate = new DateOnly(2027, 1, 1) },
            AttributionDays = 0,
            GraceHours = 0,
        };
        Assert.Equal(
            [
                ("campaignId", ErrorCodes.InvalidIdentifier),
                ("name", ErrorCodes.Required),
                ("segmentId", ErrorCodes.InvalidCombination),
                ("offer.code", ErrorCodes.InvalidCombination),
                ("offer.validDays", ErrorCodes.Required),
                ("offer.value", ErrorCodes.OutOfRange),
                ("message.channel", ErrorCodes.OutOfRange),
                ("message.text", ErrorCodes.TemplateUnknownField),
                ("message.text", ErrorCodes.TemplateFieldNeedsOffer),
                ("message.text", ErrorCodes.TemplateMalformed),
                ("schedule.daysOfWeek", ErrorCodes.Required),
                ("schedule.endDate", ErrorCodes.RangeReversed),
                ("schedule.months[0]", ErrorCodes.OutOfRange),
                ("attributionDays", ErrorCodes.OutOfRange),
                ("graceHours", ErrorCodes.OutOfRange),
            ],
            CampaignValidator.Validate(bad).Select(e => (e.Path, e.Code)));
        Assert.Empty(CampaignValidator.Validate(Advent()));
        Assert.Equal([("segment", ErrorCodes.Required)], CampaignValidator.Validate(Advent() with { Segment = null }).Select(e => (e.Path, e.Code)));
        Assert.Empty(CampaignValidator.Validate(Advent() with { Segment = null, SegmentId = "vip" }));
        var monthly = Advent() with { Schedule = new CampaignSchedule { Kind = ScheduleKind.Monthly, Time = new TimeOnly(8, 0), DaysOfMonth = [30, 31],
            Months = [2], Dates = Advent().Schedule.Dates } };
        Assert.Equal([("schedule.dates", ErrorCodes.InvalidCombination), ("schedule.daysOfMonth", ErrorCodes.InvalidCombination)],
            CampaignValidator.Validate(monthly).Select(e => (e.Path, e.Code)));
    }

    [Fact]
    public void A_template_rejects_unknown_fields_and_fields_the_offer_cannot_fill_when_defined()
    {
        var unknown = MessageTemplate.Parse("Hi {firstname} and {bogus}");
        Assert.Equal([ErrorCodes.TemplateUnknownField, ErrorCodes.TemplateUnknownField], unknown.Errors.Select(e => e.Code));
        Assert.Contains("did you mean {firstName}?", unknown.Errors[0].Message);
        Assert.Contains("{balance}", unknown.Errors[1].Message);
        var needs = MessageTemplate.Parse("Use {coupon} before {validUntil}", OfferKind.Coupon);
        Assert.Equal([ErrorCodes.TemplateFieldNeedsOffer], needs.Errors.Select(e => e.Code));
        Assert.Contains("{validUntil} needs a voucher offer; this campaign's offer is coupon.", needs.Errors[0].Message);
        Assert.Equal(ErrorCodes.TemplateMalformed, MessageTemplate.Parse("50 } off").Errors[0].Code);
        Assert.Equal(ErrorCodes.TemplateMalformed, MessageTemplate.Parse("{tier {balance}").Errors[0].Code);
        Assert.Equal(ErrorCodes.Required, MessageTemplate.Parse(" ").Errors[0].Code);
    }

    [Fact]
    public void A_template_renders_each_member_with_fallbacks_literal_braces_and_culture_free_numbers()
    {
        var member = new MemberFacts { MemberId = "m1", Tier = "Silver", NextTier = "Gold", PointsToNextTier = 1_240, Balance = 12_345,
            EnrolledOn = new DateOnly(2026, 1, 1) };
        var voucher = new Offer { Kind = OfferKind.Voucher, Value = 100m, ValidDays = 30 };
        var template = MessageTemplate.Parse("Hi {firstName|there}! {{{tier}}} {pointsToNextTier} to {nextTier}, {balance} p. {voucherValue} " +
            "{currency} until {validUntil}.", OfferKind.Voucher).Value;
        Assert.Equal("Hi there! {Silver} 1240 to Gold, 12345 p. 100 SEK until 2027-12-31.", template.Render(member, voucher, "SEK", new DateOnly(2027, 12, 1)));
        var rendered = template.Render(member, voucher, "SEK", new DateOnly(2027, 12, 1));
        var used = Allocations.Least(() => template.Render(member, voucher, "SEK", new DateOnly(2027, 12, 1)));
        Assert.Equal(Allocations.Least(() => _ = new string('x', rendered.Length)), used);
        var top = member with { FirstName = "Åsa", Tier = "Gold", NextTier = null, PointsToNextTier = null };
        Assert.Equal("Åsa: top! 12845", MessageTemplate.Parse("{firstName}: {nextTier|top}!{pointsToNextTier} {balance}", OfferKind.BonusPoints).Value
            .Render(top, new Offer { Kind = OfferKind.BonusPoints, Points = 500 }, "SEK", new DateOnly(2027, 12, 1)));
        Assert.Equal(["balance", "bonusPoints", "coupon", "currency", "firstName", "nextTier", "pointsToNextTier", "tier", "validUntil", "voucherValue"],
            MessageTemplate.FieldNames.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_compiled_campaign_targets_segment_members_with_consent_on_its_channel()
    {
        var program = Seeds.Compile(Seeds.Ladder());
        var campaign = CompiledCampaign.Compile(Advent(), program).Value;
        var silver = new MemberFacts { MemberId = "m1", FirstName = "Anna", Tier = "Silver", EnrolledOn = new DateOnly(2026, 1, 1),
            Consents = [ConsentChannel.Sms] };
        var today = new DateOnly(2027, 12, 1);
        Assert.True(campaign.Targets(silver, today));
        Assert.False(campaign.Targets(silver with { Consents = [ConsentChannel.Email] }, today));
        Assert.False(campaign.Targets(silver with { Tier = "Bronze" }, today));
        var dispatch = campaign.DispatchFor(silver, "20271201T0800", today);
        Assert.Equal(("campaign:advent-2027:20271201T0800", ConsentChannel.Sms, "Hi Anna! Today's door: show ADVENT at the till."),
            (dispatch.OperationId, dispatch.Channel, dispatch.Message));

        var byId = Advent() with { Segment = null, SegmentId = "vip" };
        Assert.Equal(ErrorCodes.Required, CompiledCampaign.Compile(byId, program).Errors[0].Code);
        Assert.True(CompiledCampaign.Compile(byId, program, new SegmentDefinition()).Value.Targets(silver with { Tier = "Bronze" }, today));
        Assert.Equal(ErrorCodes.SegmentUnknownTier, CompiledCampaign.Compile(Advent() with { Segment = new() { Tiers = ["VIP"] } }, program).Errors[0].Code);
    }

    [Fact]
    public void Statistics_add_up_and_derive_rates_per_contact()
    {
        var stats = CampaignStatistics.Delivered(ConsentChannel.Sms, true) + CampaignStatistics.Delivered(ConsentChannel.Sms, false)
            + CampaignStatistics.Delivered(ConsentChannel.Email, true) + CampaignStatistics.Delivered(ConsentChannel.Push, true)
            + CampaignStatistics.Redeemed() + CampaignStatistics.Purchase(2_290m) + CampaignStatistics.Purchase(110m);
        Assert.Equal((3L, 4L, 2L, 1L, 1L), (stats.Reach, stats.Contacts, stats.Sms, stats.Email, stats.Push));
        Assert.Equal((0.25m, 600m, 2L), (stats.RedemptionRate, stats.RevenuePerContact, stats.AttributedPurchases));
        Assert.Equal(stats, CampaignStatistics.Combine(CampaignStatistics.Zero, stats));
        Assert.Equal((0m, 0m), (CampaignStatistics.Zero.RedemptionRate, CampaignStatistics.Zero.RevenuePerContact));
        var friday = new DateOnly(2027, 3, 5);
        Assert.True(CampaignStatistics.Attributes(friday, 14, friday));
        Assert.True(CampaignStatistics.Attributes(friday, 14, new DateOnly(2027, 3, 18)));
        Assert.False(CampaignStatistics.Attributes(friday, 14, new DateOnly(2027, 3, 19)));
        Assert.False(CampaignStatistics.Attributes(friday, 14, friday.AddDays(-1)));
    }

    [Fact]
    public void Campaigns_and_segments_round_trip_as_json_with_camel_case_enums()
    {
        var campaign = Scheduled().Start("20271201T0800", Stockholm, Local(12, 1, 9)).Value;
        var json = LoyaltyJson.Serialize(campaign);
        Assert.Contains("\"status\":\"running\"", json);
        Assert.Contains("\"kind\":\"coupon\"", json);
        Assert.Contains("\"channel\":\"sms\"", json);
        Assert.Contains("\"dates\":[{\"from\":{\"month\":12,\"day\":1},\"to\":{\"month\":12,\"day\":24}}]", json);
        Assert.Equal(json, LoyaltyJson.Serialize(LoyaltyJson.Deserialize<Campaign>(json)));
        var weekly = LoyaltyJson.Serialize(CampaignScheduleTests.FridaysInMarch);
        Assert.Contains("\"daysOfWeek\":[\"friday\"]", weekly);
        var segment = new SegmentDefinition { Points = new() { Min = 100 }, Channels = ChannelFilter.StoreOnly, Rfm = new() { Recency = new() { Min = 4 } } };
        var segmentJson = LoyaltyJson.Serialize(segment);
        Assert.Contains("\"channels\":\"storeOnly\"", segmentJson);
        Assert.Equal(segmentJson, LoyaltyJson.Serialize(LoyaltyJson.Deserialize<SegmentDefinition>(segmentJson)));
    }
}
