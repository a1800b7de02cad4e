using Loyalty.Core.Application;
using Loyalty.Core.Campaigns;
using Loyalty.Core.Events;
using Loyalty.Core.Ledger;
using Loyalty.Core.Members;
using Loyalty.Core.Serialization;
using Loyalty.Core.Validation;
using Loyalty.Core.Vouchers;
using static Loyalty.Core.Tests.Seeds;

namespace Loyalty.Core.Tests;

/// <summary>A campaign run reaching a member's book: the offer exactly once, and the message to the outbox.</summary>
public class CampaignDispatchTests
{
    private static readonly Programs.ProgramCatalog Catalog = Seeds.Catalog(Ladder());
    private static readonly Programs.CompiledProgram Program = Catalog.Latest;
    private static readonly DateOnly March5 = new(2026, 3, 5);

    private static CampaignDispatch Dispatch(Offer offer, string runId = "20260305T0900", ConsentChannel channel = ConsentChannel.Sms) =>
        new("spring", runId, March5, offer, channel, "Hi Anna!");

    private static MemberBook With1900Points() => Enrol(Program).Apply(Purchase("r1", At(2026, 3, 1), Line(1_900m)), Catalog).Book;

    [Fact]
    public void Bonus_points_are_earned_through_the_ledger_convert_to_vouchers_and_leave_the_tier_alone()
    {
        var change = With1900Points().ReceiveCampaign(Program, Dispatch(new Offer { Kind = OfferKind.BonusPoints, Points = 500 })).Value;

        var outcome = change.Transition.Outcome;
        Assert.Equal(("campaign:spring:20260305T0900", 500L, 0L, 1_900L, 400L),
            (outcome.OperationId, outcome.PointsEarned, outcome.QualifyingPointsEarned, outcome.QualifyingPoints, outcome.Balance));
        Assert.Equal(["campaign:spring:20260305T0900:auto:1"], outcome.VouchersIssued.Select(v => v.Id));
        var earned = Assert.Single(change.Transition.Ledger, e => e.Kind == LedgerKind.Earned);
        Assert.Equal((500L, 0L, "campaign:spring:20260305T0900"), (earned.Points, earned.QualifyingPoints, earned.Cause));
        Assert.Equal(400L, change.Book.State.Lots.Sum(l => l.Points));
        var delivered = Assert.IsType<CampaignDelivered>(change.Transition.Events[^1]);
        Assert.Equal(("m1/campaign:spring:20260305T0900/campaign.delivered", "spring", "20260305T0900", ConsentChannel.Sms, "Hi Anna!", 500L),
            (delivered.Id, delivered.CampaignId, delivered.RunId, delivered.Channel, delivered.Message, delivered.BonusPoints));
        Assert.Equal((null, null), (delivered.Coupon, delivered.VoucherId));
    }

    [Fact]
    public void A_resumed_fan_out_replays_the_first_outcome_and_another_run_is_a_new_delivery()
    {
        var offer = new Offer { Kind = OfferKind.BonusPoints, Points = 500 };
        var first = With1900Points().ReceiveCampaign(Program, Dispatch(offer)).Value;
        var again = first.Book.ReceiveCampaign(Program, Dispatch(offer) with { Message = "rendered later" }).Value;
        Assert.True(again.Replayed);
        Assert.Same(first.Transition.Outcome, again.Transition.Outcome);
        Assert.Same(first.Book.State, again.Book.State);
        Assert.Empty(again.Transition.Events);

        var next = first.Book.ReceiveCampaign(Program, Dispatch(offer, "20260312T0900")).Value;
        Assert.False(next.Replayed);
        Assert.Equal(900L, next.Transition.Outcome.Balance);
    }

    [Fact]
    public void A_campaign_voucher_is_issued_as_any_voucher_and_refused_when_the_member_has_no_room()
    {
        var change = With1900Points().ReceiveCampaign(Program, Dispatch(new Offer { Kind = OfferKind.Voucher, Value = 50m, ValidDays = 14 })).Value;
        var voucher = Assert.Single(change.Transition.Outcome.VouchersIssued);
        Assert.Equal(("campaign:spring:20260305T0900", VoucherSource.Campaign, 50m, new DateOnly(2026, 3, 19), 0L),
            (voucher.Id, voucher.Source, voucher.Value, voucher.ExpiresOn, voucher.PointsCost));
        Assert.Equal(1_900L, change.Transition.Outcome.Balance);
        Assert.Equal(VoucherSource.Campaign, Assert.IsType<VoucherIssued>(change.Transition.Events[0]).Source);
        Assert.Equal(voucher.Id, Assert.IsType<CampaignDelivered>(change.Transition.Events[1]).VoucherId);
        var paid = change.Book.Apply(Purchase("r2", At(2026, 3, 6), Line(300m)) with { Vouchers = [voucher.Id] }, Catalog);
        Assert.Equal(50m, paid.Transition.Outcome.Discount);

        var tight = Seeds.Compile(Ladder() with { Vouchers = new VoucherRules { Automatic = new(2_000, 100m), MaxOpen = 2 } });
        var book = Enrol(tight);
        var offer = new Offer { Kind = OfferKind.Voucher, Value = 50m, ValidDays = 14 };
        book = book.ReceiveCampaign(tight, Dispatch(offer, "20260305T0900")).Value.Book;
        book = book.ReceiveCampaign(tight, Dispatch(offer, "20260306T0900")).Value.Book;
        var refused = book.ReceiveCampaign(tight, Dispatch(offer, "20260307T0900"));
        Assert.Equal((ErrorCodes.VoucherTooManyOpen, "offer"), (refused.Errors[0].Code, refused.Errors[0].Path));
        Assert.False(book.Records.ContainsKey("campaign:spring:20260307T0900"));
    }

    [Fact]
    public void A_coupon_or_a_message_only_changes_no_points_and_the_event_carries_what_to_send()
    {
        var coupon = With1900Points().ReceiveCampaign(Program,
            Dispatch(new Offer { Kind = OfferKind.Coupon, Code = "PIZZA15", Description = "15 % off pizza" })).Value;
        Assert.Equal(("PIZZA15", 0L, 1_900L), (coupon.Transition.Outcome.Coupon, coupon.Transition.Outcome.PointsEarned, coupon.Transition.Outcome.Balance));
        Assert.Empty(coupon.Transition.Ledger);
        Assert.Equal("PIZZA15", Assert.IsType<CampaignDelivered>(Assert.Single(coupon.Transition.Events)).Coupon);

        var message = With1900Points().ReceiveCampaign(Program, Dispatch(new Offer(), channel: ConsentChannel.Push)).Value;
        Assert.Null(message.Transition.Outcome.Coupon);
        var json = LoyaltyJson.Serialize(new Notification("zoo", "m1", message.Transition.Outcome.OperationId, At(2026, 3, 5, 9), message.Transition.Events));
        Assert.Contains("\"kind\":\"campaign.delivered\"", json);
        Assert.Contains("\"channel\":\"push\"", json);
        Assert.Equal(json, LoyaltyJson.Serialize(LoyaltyJson.Deserialize<Notification>(json)));

        var record = coupon.Book.Records["campaign:spring:20260305T0900"];
        Assert.Equal("PIZZA15", LoyaltyJson.Deserialize<OperationRecord>(LoyaltyJson.Serialize(record)).Outcome.Coupon);
    }

    [Fact]
    public void Ids_that_cannot_be_keys_and_an_incomplete_offer_are_refused()
    {
        var errors = Enrol(Program).ReceiveCampaign(Program, Dispatch(new Offer { Kind = OfferKind.BonusPoints }, "a/b")).Errors;
        Assert.Equal([("runId", ErrorCodes.InvalidIdentifier), ("offer.points", ErrorCodes.Required)], errors.Select(e => (e.Path, e.Code)));
        var colon = Enrol(Program).ReceiveCampaign(Program, Dispatch(new Offer()) with { CampaignId = "spring:2027" }).Errors;
        Assert.Equal([("campaignId", ErrorCodes.InvalidIdentifier)], colon.Select(e => (e.Path, e.Code)));
    }
}
