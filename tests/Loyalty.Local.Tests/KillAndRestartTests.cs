using Loyalty.Storage.Queues;
using System.Diagnostics;
using Loyalty.Core.Application.Receipts;
using Loyalty.HostProcess;
using Loyalty.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Loyalty.Local.Tests;

/// <summary>The local host killed mid-queue (no graceful stop) and started again: every receipt applied exactly once.</summary>
public sealed class KillAndRestartTests(ITestOutputHelper output) : WorkerTest(output)
{
    private const int Members = 20, Messages = 40, ReceiptsPerMessage = 10;

    [Fact]
    public async Task A_host_killed_halfway_through_the_queue_and_restarted_applies_every_receipt_exactly_once()
    {
        var members = await EnrolAsync(Members);
        var expectedPoints = members.ToDictionary(m => m, _ => 0L);
        var expectedReceipts = members.ToDictionary(m => m, _ => new List<string>());
        var messages = new List<string>();
        for (var m = 0; m < Messages; m++)
        {
            var receipts = new List<PosReceipt>();
            for (var r = 0; r < ReceiptsPerMessage; r++)
            {
                var n = m * ReceiptsPerMessage + r;
                var member = members[n % Members];
                var price = 10 + n % 9 * 5; // whole kronor: 1 point each in the demo program, no multipliers
                receipts.Add(Purchase($"k-{n:D3}", member, price));
                expectedPoints[member] += price;
                expectedReceipts[member].Add($"k-{n:D3}");
            }

            messages.Add(Message([.. receipts]));
        }

        await Task.WhenAll(messages.Select(m => Receipts.SendBodyAsync(BinaryData.FromString(m))));
        Assert.Equal(Messages, (await Receipts.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        var environment = new Dictionary<string, string>
        {
            ["Storage__ConnectionString"] = Azurite.ConnectionString,
            ["Storage__Prefix"] = Prefix,
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            // Messages the killed host held reappear after this; it is renewed while a message is being handled.
            ["Receipts__Worker__VisibilityTimeout"] = "00:00:05",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Loyalty.Local.Workers.ReceiptsQueueWorker"] = "Information",
        };
        var clock = Stopwatch.StartNew();

        int remainingAtKill;
        using (var first = LocalHostProcess.Start(environment))
        {
            // Some messages done (the count includes hidden, in-flight ones), most not: then pull the plug.
            await WaitUntilAsync(async () => first.HasExited || (await Receipts.GetPropertiesAsync()).Value.ApproximateMessagesCount <= Messages - 4,
                TimeSpan.FromSeconds(45), async () => $"{(await Receipts.GetPropertiesAsync()).Value.ApproximateMessagesCount} of {Messages} " +
                    $"messages left. {first.Output}",
                poll: TimeSpan.FromMilliseconds(20));
            Assert.False(first.HasExited, first.Output);
            first.Kill();
            remainingAtKill = (await Receipts.GetPropertiesAsync()).Value.ApproximateMessagesCount;
            Output.WriteLine($"Killed after {clock.Elapsed.TotalSeconds:0.0} s with {remainingAtKill} of {Messages} messages left. {first.Output}");
        }

        var appliedAtKill = 0;
        foreach (var member in members) appliedAtKill += (await HistoryAsync(member)).Count;
        Output.WriteLine($"{appliedAtKill} of {Messages * ReceiptsPerMessage} receipts applied at the kill.");
        Assert.True(remainingAtKill > 0 && appliedAtKill < Messages * ReceiptsPerMessage,
            $"The host finished the whole queue before it was killed ({remainingAtKill} messages left, {appliedAtKill} receipts " +
                "applied): the test proves nothing.");

        using (var second = LocalHostProcess.Start(environment))
        {
            await WaitUntilAsync(async () => second.HasExited || (await Receipts.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0,
                TimeSpan.FromSeconds(60), async () => $"{(await Receipts.GetPropertiesAsync()).Value.ApproximateMessagesCount} of {Messages} messages left " +
                    $"after the restart. {second.Output}");
            Assert.False(second.HasExited, second.Output);
            Output.WriteLine($"Queue empty after {clock.Elapsed.TotalSeconds:0.0} s. {second.Output}");
        }

        Assert.Empty(await PoisonEntriesAsync());
        foreach (var member in members)
        {
            Assert.Equal(expectedPoints[member], await QualifyingPointsAsync(member));
            Assert.Equal(Sorted([.. expectedReceipts[member]]), await HistoryAsync(member));
        }
    }
}
