using Microsoft.Extensions.DependencyInjection;
using System.Collections.Immutable;
using Azure.Storage.Blobs.Models;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Demo;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Application.Receipts;
using Loyalty.Core.Events;
using Loyalty.Core.Members;
using Loyalty.Core.Programs;
using Loyalty.Core.Serialization;
using Loyalty.Core.Validation;
using Loyalty.Testing;
using Xunit;

namespace Loyalty.Application.Tests.Receipts;

/// <summary>Receipts through the real services and tables: exactly once, atomically, parked until enrolment, outbox delivered.</summary>
public class ReceiptIngestionTests : LoyaltyStorageTest
{
    private IReceiptService Receipts => Services.Receipts;

    [Fact]
    public async Task The_same_receipt_ten_times_sequentially_and_concurrently_earns_once_with_the_same_outcome()
    {
        var programId = await CreateDemoProgramAsync();
        var member = await EnrolWithPhoneAsync(programId, "+46701234567");
        var receipt = Purchase("r-1", Phone("+46701234567"), ("food-1", "pet-food", 2, 249.50m), ("toy-1", "toys", 1, 89m));

        var sequential = new List<ReceiptResult>();
        for (var i = 0; i < 10; i++) sequential.Add(Ok(await Receipts.SubmitAsync(await Services.ProgramAsync(programId), receipt, Payload(receipt), default)));
        var concurrent = (await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ => await Receipts.ApplyAsync(await Services.ProgramAsync(programId),
            receipt, null, default)))).Select(Ok).ToList();

        var first = sequential[0];
        Assert.Equal(ReceiptStatus.Applied, first.Status);
        Assert.Equal(338, first.Outcome!.PointsEarned);
        Assert.All(sequential.Concat(concurrent), r => Assert.Equal(LoyaltyJson.Serialize(first.Outcome), LoyaltyJson.Serialize(r.Outcome)));
        var view = Ok(await Members.GetAsync(await Services.ProgramAsync(programId), member, default)).View;
        Assert.Equal(338, view.QualifyingPoints);
        Assert.Single(Ok(await Members.ListReceiptsAsync(await Services.ProgramAsync(programId), member, new PageRequest(50), default)).Items);
    }

    [Fact]
    public async Task Fifty_concurrent_receipts_for_one_member_from_two_instances_add_up_exactly()
    {
        var programId = await CreateDemoProgramAsync();
        var member = await EnrolWithPhoneAsync(programId, "+46701234568");
        var receipts = Enumerable.Range(1, 50)
            .Select(i => Purchase($"c-{i}", new MemberIdentifier { MemberId = member },
                ($"sku-{i}", i % 3 == 0 ? "pet-food" : "toys", 1 + i % 2, 10m * i + 0.5m)))
            .ToList();

        // Two instances, as two hosts would be: each queues its own callers per member, and they race each other for real.
        var other = CreateServices().Receipts;
        var program = await Services.ProgramAsync(programId);
        var results = await Task.WhenAll(receipts.Select((r, i) => (i % 2 == 0 ? Receipts : other).ApplyAsync(program, r, null, default)));

        Assert.All(results, r => Assert.Equal(ReceiptStatus.Applied, Ok(r).Status));
        var expected = Expected(programId, member, receipts);
        var stored = await StoredAsync(programId, member);
        Assert.Equal(expected.QualifyingPoints, stored.State.QualifyingPoints);
        Assert.Equal(expected.Balance, stored.State.Balance);
        // Which receipt crossed a voucher threshold depends on the order they landed in; how many vouchers of each kind does not.
        Assert.Equal(expected.Vouchers.Select(v => (v.Source, v.Value)).Order(), stored.State.Vouchers.Select(v => (v.Source, v.Value)).Order());
        Assert.Equal(50, stored.Activity.PurchaseCount);
        Assert.Equal(receipts.Sum(r => r.Total), stored.Activity.Spend);
    }

    [Fact]
    public async Task A_return_restores_points_qualifying_points_stamps_and_cancels_the_voucher_it_paid_for()
    {
        var programId = await CreateDemoProgramAsync();
        var member = await EnrolWithPhoneAsync(programId, "+46701234569");
        var before = await StoredAsync(programId, member);
        // 2,400 points: past the automatic 2,000-point voucher; three bags of food: three stamps.
        var purchase = Purchase("big-1", Phone("+46701234569"), ("food-9", "pet-food", 3, 1_800m), ("bed-1", "beds", 1, 600m));
        var bought = Ok(await Receipts.ApplyAsync(await Services.ProgramAsync(programId), purchase, null, default)).Outcome!;
        Assert.Single(bought.VouchersIssued);
        Assert.Equal(3, Assert.Single(bought.Stamps).Stamps);

        var refund = Ok(await Receipts.ApplyAsync(await Services.ProgramAsync(programId),
            Return("big-1-back", "big-1", Phone("+46701234569"), ("food-9", "pet-food", -3, -1_800m), ("bed-1", "beds", -1, -600m)), null, default)).Outcome!;

        var after = await StoredAsync(programId, member);
        Assert.Equal(-2_400, refund.PointsEarned);
        Assert.Equal((before.State.Balance, before.State.QualifyingPoints, before.State.Debt),
            (after.State.Balance, after.State.QualifyingPoints, after.State.Debt));
        Assert.Equal(bought.VouchersIssued.Select(v => v.Id), refund.VouchersCancelled);
        Assert.Equal(0, after.State.StampCards.Single().Stamps);
        Assert.Equal(0m, after.Activity.Spend);
        Assert.Equal(1, after.Activity.PurchaseCount);
    }

    [Fact]
    public async Task A_receipt_for_an_unknown_phone_is_parked_and_applied_when_that_phone_enrols()
    {
        var programId = await CreateDemoProgramAsync();
        var receipt = Purchase("early-1", Phone("070-111 22 33"), ("food-1", "pet-food", 1, 300m));

        var parked = Ok(await Receipts.SubmitAsync(await Services.ProgramAsync(programId), receipt, Payload(receipt), default));
        Assert.Equal(ReceiptStatus.Parked, parked.Status);
        var waiting = Assert.Single(Ok(await Receipts.ListParkedAsync(await Services.ProgramAsync(programId), new PageRequest(10), default)).Items);
        Assert.Equal(("+46701112233", "early-1"), (waiting.Identifier, waiting.Receipt.Id));
        Assert.NotNull(waiting.Archive);

        var member = await EnrolWithPhoneAsync(programId, "+46 70 111 22 33");

        Assert.Equal(300, Ok(await Members.GetAsync(await Services.ProgramAsync(programId), member, default)).View.QualifyingPoints);
        Assert.Empty(Ok(await Receipts.ListParkedAsync(await Services.ProgramAsync(programId), new PageRequest(10), default)).Items);
        var resent = Ok(await Receipts.ApplyAsync(await Services.ProgramAsync(programId), receipt, null, default));
        Assert.Equal((ReceiptStatus.Applied, member, 300L), (resent.Status, resent.MemberId, resent.Outcome!.PointsEarned));
    }

    [Fact]
    public async Task A_return_ahead_of_its_purchase_waits_for_it_and_is_applied_once_when_two_hosts_apply_the_purchase_at_once()
    {
        var programId = await CreateDemoProgramAsync();
        var member = await EnrolWithPhoneAsync(programId, "+46701234580");
        var other = await EnrolWithPhoneAsync(programId, "+46701234581");
        var purchase = Purchase("w-1", Phone("+46701234580"), ("toy-1", "toys", 2, 200m));
        var back = Return("w-1-back", "w-1", Phone("+46701234580"), ("toy-1", "toys", -1, -100m));

        Assert.Equal(ReceiptStatus.Parked, Ok(await Receipts.ApplyAsync(await Services.ProgramAsync(programId), back, "archive/w", default)).Status);
        var waiting = Assert.Single(Ok(await Receipts.ListParkedAsync(await Services.ProgramAsync(programId), new PageRequest(10), default)).Items);
        Assert.Equal((IdentityKind.Purchase, "w-1", "w-1-back", (string?)null), (waiting.Kind, waiting.Identifier, waiting.Receipt.Id, waiting.Refused));
        // The web shop hears the refusal and sends the return again later.
        Failed(await Receipts.SubmitAsync(await Services.ProgramAsync(programId), back, Payload(back), default), ErrorCodes.ReturnOfUnknownReceipt);

        var twoHosts = CreateServices().Receipts;
        var applied = await Task.WhenAll(Receipts.ApplyAsync(await Services.ProgramAsync(programId),
            purchase, null, default), twoHosts.ApplyAsync(await Services.ProgramAsync(programId), purchase, null, default));

        Assert.All(applied, a => Assert.Equal(ReceiptStatus.Applied, Ok(a).Status));
        Assert.Equal(100, Ok(await Members.GetAsync(await Services.ProgramAsync(programId), member, default)).View.QualifyingPoints);
        Assert.Equal(["w-1", "w-1-back"], Ok(await Members.ListReceiptsAsync(await Services.ProgramAsync(programId),
            member, new PageRequest(50), default)).Items.Select(r => r.ReceiptId)
            .Order());
        Assert.Empty(Ok(await Receipts.ListParkedAsync(await Services.ProgramAsync(programId), new PageRequest(10), default)).Items);
        var resent = Ok(await Receipts.ApplyAsync(await Services.ProgramAsync(programId), back, null, default));
        Assert.Equal((ReceiptStatus.Applied, -100L), (resent.Status, resent.Outcome!.PointsEarned));

        // A purchase applied to someone else never comes to this member: their return is refused at once, not parked.
        Ok(await Receipts.ApplyAsync(await Services.ProgramAsync(programId), Purchase("w-2", Phone("+46701234581"), ("toy-1", "toys", 1, 50m)), null, default));
        Failed(await Receipts.ApplyAsync(await Services.ProgramAsync(programId),
            Return("w-2-back", "w-2", Phone("+46701234580"), ("toy-1", "toys", -1, -50m)), null, default),
            ErrorCodes.ReturnOfUnknownReceipt);
        Assert.Empty(Ok(await Receipts.ListParkedAsync(await Services.ProgramAsync(programId), new PageRequest(10), default)).Items);
        Assert.Equal(50, Ok(await Members.GetAsync(await Services.ProgramAsync(programId), other, default)).View.QualifyingPoints);
    }

    [Fact]
    public async Task Returns_left_waiting_by_a_host_that_crashed_after_committing_their_purchase_are_applied_by_the_sweep_or_handled_by_an_operator()
    {
        var programId = await CreateDemoProgramAsync();
        var member = await EnrolWithPhoneAsync(programId, "+46701234582");
        var purchase = Purchase("x-1", Phone("+46701234582"), ("toy-1", "toys", 2, 200m));
        Ok(await Receipts.ApplyAsync(await Services.ProgramAsync(programId),
            Return("x-1-back", "x-1", Phone("+46701234582"), ("toy-1", "toys", -2, -200m)), null, default));
        Ok(await Receipts.ApplyAsync(await Services.ProgramAsync(programId),
            Return("x-9-back", "never-sold", Phone("+46701234582"), ("toy-1", "toys", -1, -10m)), null, default));

        var crashing = CreateServices(s => s.AddSingleton<IParkedReceiptStore>(new CrashingOnPurchaseKeys(Port<IParkedReceiptStore>())));
        await Assert.ThrowsAsync<IOException>(async () => await crashing.Receipts.ApplyAsync(await Services.ProgramAsync(programId), purchase, null, default));
        Assert.Equal(200, Ok(await Members.GetAsync(await Services.ProgramAsync(programId), member, default)).View.QualifyingPoints);

        Assert.Equal(1, await Receipts.ReplayParkedAsync(await Services.ProgramAsync(programId), default));
        Assert.Equal(0, Ok(await Members.GetAsync(await Services.ProgramAsync(programId), member, default)).View.QualifyingPoints);
        Assert.Equal(0, await Receipts.ReplayParkedAsync(await Services.ProgramAsync(programId), default));

        // A return whose purchase never comes stays listed; a retry keeps it waiting; a discard removes it.
        var never = Assert.Single(Ok(await Receipts.ListParkedAsync(await Services.ProgramAsync(programId), new PageRequest(10), default)).Items);
        Assert.Equal((IdentityKind.Purchase, "never-sold"), (never.Kind, never.Identifier));
        var retried = await Receipts.RetryParkedAsync(await Services.ProgramAsync(programId), "x-9-back", new StaffChange("k1", Admin: true), default);
        Assert.Equal([ApplicationErrors.ParkedReceiptRefused, ErrorCodes.ReturnOfUnknownReceipt], retried.Errors.Select(e => e.Code));
        Assert.Null(Assert.Single(Ok(await Receipts.ListParkedAsync(await Services.ProgramAsync(programId), new PageRequest(10), default)).Items).Refused);
        Assert.Equal("x-9-back", Ok(await Receipts.DiscardParkedAsync(await Services.ProgramAsync(programId),
            "x-9-back", new StaffChange("k1", Admin: true), default)).Receipt.Id);
        Assert.Empty(Ok(await Receipts.ListParkedAsync(await Services.ProgramAsync(programId), new PageRequest(10), default)).Items);
    }

    [Fact]
    public async Task Anonymous_sales_are_archived_without_points_and_invalid_receipts_are_refused_with_every_reason()
    {
        var programId = await CreateDemoProgramAsync();
        var anonymous = Purchase("anon-1", null, ("toy-1", "toys", 1, 50m));
        Assert.Equal(ReceiptStatus.Anonymous, Ok(await Receipts.SubmitAsync(await Services.ProgramAsync(programId),
            anonymous, Payload(anonymous), default)).Status);
        var archived = new List<string>();
        await foreach (var blob in Storage.Account.GetContainer(Storage.Names.ReceiptsContainer)
            .GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{programId}/{Start:yyyy'/'MM'/'dd}/receipt-anon-1-", default)) archived.Add(blob.Name);
        Assert.Single(archived);

        var wrong = Purchase("bad-1", Phone("not a phone"), ("toy-1", "toys", 1, 50m)) with { Total = 51m, Channel = "fax" };
        var refused = await Receipts.SubmitAsync(await Services.ProgramAsync(programId), wrong, Payload(wrong), default);
        Assert.Equal(
            [ApplicationErrors.InvalidPhone, ErrorCodes.OutOfRange, ErrorCodes.TotalMismatch],
            refused.Errors.Select(e => e.Code).Order(StringComparer.Ordinal));
        Assert.Contains(refused.Errors, e => e.Path == "member.phone");
    }

    [Fact]
    public async Task A_receipt_id_is_unique_per_program_not_per_member_and_cannot_pose_as_a_member_operation()
    {
        var programId = await CreateDemoProgramAsync();
        await EnrolWithPhoneAsync(programId, "+46701234571");
        await EnrolWithPhoneAsync(programId, "+46701234572");
        Ok(await Receipts.ApplyAsync(await Services.ProgramAsync(programId),
            Purchase("shared-1", Phone("+46701234571"), ("toy-1", "toys", 1, 100m)), null, default));

        Failed(await Receipts.ApplyAsync(await Services.ProgramAsync(programId),
            Purchase("shared-1", Phone("+46701234572"), ("toy-1", "toys", 1, 100m)), null, default),
            ApplicationErrors.ReceiptIdTaken);
        Failed(await Receipts.ApplyAsync(await Services.ProgramAsync(programId),
            Purchase("enrol", Phone("+46701234572"), ("toy-1", "toys", 1, 100m)), null, default),
            ErrorCodes.ReservedId);
        Failed(await Receipts.ApplyAsync(await Services.ProgramAsync(programId),
            Purchase("till:1", Phone("+46701234572"), ("toy-1", "toys", 1, 100m)), null, default),
            ErrorCodes.ReservedId);
    }

    [Fact]
    public async Task A_notification_left_in_the_outbox_by_a_queue_outage_is_delivered_by_the_sweep_with_the_same_id()
    {
        var programId = await CreateDemoProgramAsync();
        var member = await EnrolWithPhoneAsync(programId, "+46701234570");
        await DrainNotificationsAsync();
        var broken = CreateServices(s => s.AddSingleton<INotificationQueue>(new FailingQueue()));
        var receipt = Purchase("v-1", Phone("+46701234570"), ("food-1", "pet-food", 1, 2_100m));

        await Assert.ThrowsAsync<IOException>(async () => await broken.Receipts.ApplyAsync(await Services.ProgramAsync(programId), receipt, null, default));
        Assert.Empty(await DrainNotificationsAsync());

        // The receipt was applied before the outage struck; the caller's retry replays it.
        Assert.Single(Ok(await Services.Receipts.ApplyAsync(await Services.ProgramAsync(programId), receipt, null, default)).Outcome!.VouchersIssued);
        Assert.Equal(0, await Services.Outbox.RunAsync(default));
        Clock.Advance(OutboxSweep.MinimumAge + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await Services.Outbox.RunAsync(default));
        var delivered = Assert.Single(await DrainNotificationsAsync());
        Assert.Equal($"{programId}/{member}/v-1", delivered.Id);
        Assert.Contains(delivered.Events, e => e is VoucherIssued);
        Assert.Equal(0, await Services.Outbox.RunAsync(default));
    }

    private async Task<string> EnrolWithPhoneAsync(string programId, string phone) =>
        (await EnrolAsync(programId, new EnrolMember { FirstName = "Pia", Phone = phone })).Profile.MemberId;

    private Task<StoredMember> StoredAsync(string programId, string memberId) =>
        Port<IMemberStore>().GetAsync(new MemberKey(programId, 4, memberId), default)!;

    /// <summary>The domain's answer for the same receipts applied one after another from a fresh enrolment.</summary>
    private MemberState Expected(string programId, string memberId, IEnumerable<PosReceipt> receipts)
    {
        var catalog = ProgramCatalog.Create(DemoDefinition(programId)).Value;
        var book = MemberBook.Enrol(catalog.Latest, memberId, catalog.Latest.LocalDate(Start)).Value.Book;
        foreach (var receipt in receipts)
        {
            book = book.Apply(receipt.ToReceipt(memberId), catalog, Start).Value.Book;
        }
        return book.State;
    }

    private static MemberIdentifier Phone(string phone) => new() { Phone = phone };

    /// <summary>A host that dies when it looks for the returns waiting for a purchase: after the purchase's commit, before their replay.</summary>
    private sealed class CrashingOnPurchaseKeys(IParkedReceiptStore inner) : IParkedReceiptStore
    {
        public Task ParkAsync(IdentityKey identity, ParkedReceipt receipt, CancellationToken cancellationToken) =>
            inner.ParkAsync(identity, receipt, cancellationToken);

        public Task<IReadOnlyList<ParkedReceipt>> ListAsync(IdentityKey identity, CancellationToken cancellationToken) =>
            identity.Kind == IdentityKind.Purchase ? throw new IOException("The host was killed.") : inner.ListAsync(identity, cancellationToken);

        public Task<CursorPage<ParkedReceipt>> ListProgramAsync(string programId, int pageSize, string? after, CancellationToken cancellationToken) =>
            inner.ListProgramAsync(programId, pageSize, after, cancellationToken);

        public Task<IReadOnlyList<ParkedReceipt>> FindAsync(string programId, string receiptId, CancellationToken cancellationToken) =>
            inner.FindAsync(programId, receiptId, cancellationToken);

        public Task<IReadOnlyList<ParkedReceipt>> ListWaitingReturnsAsync(string programId, CancellationToken cancellationToken) =>
            inner.ListWaitingReturnsAsync(programId, cancellationToken);

        public Task DeleteAsync(IdentityKey identity, string receiptId, CancellationToken cancellationToken) =>
            inner.DeleteAsync(identity, receiptId, cancellationToken);
    }

    private sealed class FailingQueue : INotificationQueue
    {
        public Task SendAsync(IReadOnlyList<Notification> notifications, CancellationToken cancellationToken) =>
            throw new IOException("The notifications queue is down.");
    }
}
