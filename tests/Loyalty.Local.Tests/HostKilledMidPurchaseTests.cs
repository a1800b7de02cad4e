using Loyalty.Testing;
using Microsoft.Extensions.DependencyInjection;
using System.Text;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Application.Receipts;
using Loyalty.Core.Validation;
using Loyalty.Hosting.Receipts;
using Loyalty.Local.Workers;
using Xunit;
using Xunit.Abstractions;

namespace Loyalty.Local.Tests;

/// <summary>
/// A host killed while it holds a purchase's message: the purchase's id is claimed, nothing is committed, and the
/// message reappears only when its visibility timeout (or Service Bus lock) runs out. A return sent meanwhile must
/// neither be given up on nor counted twice.
/// </summary>
public sealed class HostKilledMidPurchaseTests(ITestOutputHelper output) : WorkerTest(output)
{
    [Fact]
    public async Task A_return_sent_while_the_host_holding_its_purchase_lies_dead_is_applied_once_when_the_purchase_reappears()
    {
        var member = (await EnrolAsync(1))[0];
        var purchase = Purchase("h-1", member, 60m, quantity: 2);
        await SendAsync(Message(purchase));
        var killed = new DiesAfterClaim(Backend.GetRequiredService<IReceiptClaims>(), purchase.Id);
        var doomed = await StartWorkerAsync(new ReceiptWorkerOptions { VisibilityTimeout = TimeSpan.FromSeconds(4) }, ServicesOver(killed));
        await killed.Died.Task.WaitAsync(Timeout);
        await doomed.StopAsync(CancellationToken.None);

        // No pause between its deliveries: all of them happen while the purchase is hidden.
        await SendAsync(Message(Return("h-1-back", purchase, 1)));
        var survivor = await StartWorkerAsync(new ReceiptWorkerOptions { RetryDelay = TimeSpan.Zero });
        await WaitUntilQueueIsEmptyAsync(Timeout, () => survivor.Counts.ToString());

        Assert.Empty(await PoisonEntriesAsync());
        Assert.Equal(120 - 60, await QualifyingPointsAsync(member));
        Assert.Equal(Sorted("h-1", "h-1-back"), await HistoryAsync(member));
        Assert.Empty(Ok(await Backend.Receipts.ListParkedAsync(await Backend.ProgramAsync(ProgramId), new PageRequest(10), CancellationToken.None)).Items);
        Assert.Equal((2L, 0L), (survivor.Counts.Completed, survivor.Counts.RetriedLater));
    }

    [Fact]
    public async Task On_Service_Bus_a_return_whose_purchase_died_with_its_host_is_completed_not_dead_lettered_and_applied_with_the_redelivered_purchase()
    {
        var member = (await EnrolAsync(1))[0];
        var purchase = Purchase("b-1", member, 60m, quantity: 2);
        var purchaseMessage = Encoding.UTF8.GetBytes(Message(purchase));
        var returnMessage = Encoding.UTF8.GetBytes(Message(Return("b-1-back", purchase, 1)));
        var programs = Backend.GetRequiredService<ProgramCache>();
        var handler = new ReceiptMessageHandler(Backend.Receipts, programs);

        var killed = new DiesAfterClaim(Backend.GetRequiredService<IReceiptClaims>(), purchase.Id);
        var failure = await Assert.ThrowsAsync<IOException>(() => new ReceiptMessageHandler(ServicesOver(killed), programs)
            .HandleAsync(purchaseMessage, "purchase", 1, 8, CancellationToken.None));
        Assert.Equal(SettlementAction.Abandon, ReceiptSettlement.Failed(failure, 1, shuttingDown: false).Action);

        // Every delivery Service Bus would make while the purchase's lock has yet to expire.
        MessageVerdict verdict;
        var delivery = 0;
        do
        {
            verdict = await handler.HandleAsync(returnMessage, "return", ++delivery, 8, CancellationToken.None);
            Assert.NotEqual(SettlementAction.DeadLetter, ReceiptSettlement.Of(verdict, delivery, TimeSpan.Zero).Action);
        }
        while (ReceiptSettlement.Of(verdict, delivery, TimeSpan.Zero).Action != SettlementAction.Complete);
        Assert.Empty(verdict.Rejected);
        Assert.Equal(0, await QualifyingPointsAsync(member));

        // The purchase's lock expires; the redelivery is handled, and handled again by a host that died before completing it.
        foreach (var redelivery in new[] { 2, 3 })
        {
            var redelivered = await handler.HandleAsync(purchaseMessage, "purchase", redelivery, 8, CancellationToken.None);
            Assert.Equal((SettlementAction.Complete, 0), (ReceiptSettlement.Of(redelivered, redelivery, TimeSpan.Zero).Action, redelivered.Rejected.Count));
        }

        Assert.Equal(120 - 60, await QualifyingPointsAsync(member));
        Assert.Equal(Sorted("b-1", "b-1-back"), await HistoryAsync(member));
        Assert.Empty(Ok(await Backend.Receipts.ListParkedAsync(await Backend.ProgramAsync(ProgramId), new PageRequest(10), CancellationToken.None)).Items);
    }

    [Fact]
    public void Service_Bus_settles_a_message_as_the_handler_says_and_dead_letters_a_failure_only_on_its_last_delivery()
    {
        var retryDelay = TimeSpan.FromSeconds(5);
        Assert.Equal(new ReceiptSettlement(SettlementAction.Complete),
            ReceiptSettlement.Of(new MessageVerdict(MessageAction.Complete, null, []), 1, retryDelay));
        Assert.Equal(new ReceiptSettlement(SettlementAction.Abandon, TimeSpan.FromSeconds(15)),
            ReceiptSettlement.Of(new MessageVerdict(MessageAction.RetryLater, "busy", []), 3, retryDelay));
        Assert.Equal(new ReceiptSettlement(SettlementAction.DeadLetter, Reason: "MalformedMessage", Description: "type: wrong"),
            ReceiptSettlement.Of(MessageVerdict.Poison("type: wrong"), 1, retryDelay));

        var failure = new IOException("Storage is down.");
        Assert.Equal(SettlementAction.Abandon, ReceiptSettlement.Failed(failure, ReceiptMessageHandler.MaxDeliveries - 1, shuttingDown: false).Action);
        Assert.Equal(SettlementAction.Abandon, ReceiptSettlement.Failed(failure, ReceiptMessageHandler.MaxDeliveries, shuttingDown: true).Action);
        Assert.Equal(new ReceiptSettlement(SettlementAction.DeadLetter, Reason: "ProcessingFailed", Description: "IOException: Storage is down."),
            ReceiptSettlement.Failed(failure, ReceiptMessageHandler.MaxDeliveries, shuttingDown: false));
    }

    /// <summary>The receipt service of a host whose receipt-id claims go through <paramref name="claims"/>.</summary>
    private IReceiptService ServicesOver(IReceiptClaims claims) =>
        TestServices.Create(Backend, TimeProvider.System, s => s.AddSingleton<IReceiptClaims>(claims)).Receipts;

    private static T Ok<T>(Result<T> result)
    {
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        return result.Value;
    }

    /// <summary>The host is killed right after it claimed <paramref name="receiptId"/>, before it committed the receipt.</summary>
    private sealed class DiesAfterClaim(IReceiptClaims inner, string receiptId) : IReceiptClaims
    {
        public TaskCompletionSource Died { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<string> ClaimAsync(string programId, string id, string memberId, DateTimeOffset at, CancellationToken cancellationToken)
        {
            var owner = await inner.ClaimAsync(programId, id, memberId, at, cancellationToken);
            if (id != receiptId) return owner;
            Died.TrySetResult();
            throw new IOException("The host was killed.");
        }

        public Task<string?> FindAsync(string programId, string id, CancellationToken cancellationToken) => inner.FindAsync(programId, id, cancellationToken);
    }
}
