using Azure.Storage.Blobs.Models;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Loyalty.Core.Application.Ports;
using Loyalty.Testing;
using Loyalty.Core.Validation;
using Loyalty.Hosting.Receipts;
using Loyalty.Local.Workers;
using Xunit;
using Xunit.Abstractions;

namespace Loyalty.Local.Tests;

/// <summary>The receipts worker in this process against real Azurite: bad input is set aside, everything else applied once.</summary>
public sealed class ReceiptsQueueWorkerTests(ITestOutputHelper output) : WorkerTest(output)
{
    [Fact]
    public async Task Malformed_messages_go_to_the_poison_queue_with_a_reason_while_the_messages_around_them_are_applied()
    {
        var members = await EnrolAsync(2);
        var notJson = "this is { not JSON";
        var wrongType = Message(Purchase("wrong-type-1", members[0], 500m)).Replace("loyalty.receipt.v1", "loyalty.receipt.v0", StringComparison.Ordinal);
        await SendAsync(Message(Purchase("before-1", members[0], 120m)), notJson, wrongType, Message(Purchase("after-1", members[1], 80m)));

        // One message at a time, in queue order: the good message after the bad ones is reached only if they do not block.
        var worker = await StartWorkerAsync(new ReceiptWorkerOptions { Concurrency = 1 });
        await WaitUntilQueueIsEmptyAsync(Timeout);

        Assert.Equal(120, await QualifyingPointsAsync(members[0]));
        Assert.Equal(80, await QualifyingPointsAsync(members[1]));
        Assert.Equal(["before-1"], await HistoryAsync(members[0]));
        var entries = await PoisonEntriesAsync();
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e =>
        {
            Assert.Equal(ReceiptPoisonQueue.MessageType, e.GetProperty("type").GetString());
            Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("reason").GetString()));
            Assert.False(string.IsNullOrEmpty(e.GetProperty("messageId").GetString()));
            Assert.Equal(1, e.GetProperty("deliveryCount").GetInt64());
            Assert.False(e.TryGetProperty("receipt", out _));
        });
        var malformed = Assert.Single(entries, e => e.GetProperty("body").GetString() == notJson);
        Assert.StartsWith("Invalid JSON", malformed.GetProperty("reason").GetString());
        Assert.False(malformed.TryGetProperty("programId", out _));
        var mistyped = Assert.Single(entries, e => e.GetProperty("body").GetString() == wrongType);
        Assert.Contains("loyalty.receipt.v0", mistyped.GetProperty("reason").GetString());
        Assert.Equal(ProgramId, mistyped.GetProperty("programId").GetString());
        Assert.Equal((4L, 2L, 2L, 0L), (worker.Counts.Received, worker.Counts.Completed, worker.Counts.Poisoned, worker.Counts.Failed));
    }

    [Fact]
    public async Task A_plain_text_message_from_a_POS_is_applied_with_the_base64_ones_received_in_the_same_batch()
    {
        var members = await EnrolAsync(3);
        await SendAsync(Message(Purchase("b64-1", members[0], 10m)));
        // Unencoded JSON, as a POS writing straight to the queue sends it: the SDK's base64 decoding would fail the whole batch.
        await Receipts.SendMessageAsync(Message(Purchase("plain-1", members[1], 20m)));
        await SendAsync(Message(Purchase("b64-2", members[2], 30m)));

        var worker = await StartWorkerAsync(new ReceiptWorkerOptions { Concurrency = 4 });
        await WaitUntilQueueIsEmptyAsync(Timeout);

        Assert.Equal(10, await QualifyingPointsAsync(members[0]));
        Assert.Equal(20, await QualifyingPointsAsync(members[1]));
        Assert.Equal(30, await QualifyingPointsAsync(members[2]));
        Assert.Empty(await PoisonEntriesAsync());
        Assert.Equal((3L, 3L, 0L), (worker.Counts.Received, worker.Counts.Completed, worker.Counts.Failed));
    }

    [Fact]
    public async Task An_invalid_receipt_goes_to_the_poison_queue_alone_with_its_error_codes_and_the_others_in_its_message_are_applied()
    {
        var members = await EnrolAsync(2);
        var bad = Purchase("bad-1", members[0], 50m) with { Total = 60m };
        await SendAsync(Message(Purchase("good-1", members[0], 100m), bad, Purchase("good-2", members[1], 30m)));

        var worker = await StartWorkerAsync();
        await WaitUntilQueueIsEmptyAsync(Timeout);

        Assert.Equal(100, await QualifyingPointsAsync(members[0]));
        Assert.Equal(30, await QualifyingPointsAsync(members[1]));
        Assert.Equal(["good-1"], await HistoryAsync(members[0]));
        var entry = Assert.Single(await PoisonEntriesAsync());
        Assert.Equal("bad-1", entry.GetProperty("receiptId").GetString());
        Assert.Equal("bad-1", entry.GetProperty("receipt").GetProperty("id").GetString());
        Assert.Equal(60m, entry.GetProperty("receipt").GetProperty("total").GetDecimal());
        Assert.Equal(ProgramId, entry.GetProperty("programId").GetString());
        Assert.Contains(ErrorCodes.TotalMismatch, entry.GetProperty("reason").GetString());
        Assert.Equal([ErrorCodes.TotalMismatch], entry.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("code").GetString()));
        Assert.Equal("total", entry.GetProperty("errors")[0].GetProperty("path").GetString());
        Assert.StartsWith(Backend.Storage.Names.ReceiptsContainer + "/" + ProgramId + "/", entry.GetProperty("archive").GetString());
        Assert.False(entry.TryGetProperty("body", out _));
        Assert.Equal((1L, 1L, 0L), (worker.Counts.Completed, worker.Counts.RejectedReceipts, worker.Counts.Poisoned));
    }

    [Fact]
    public async Task A_message_of_members_receipts_keeps_each_receipts_bytes_in_its_members_transaction_and_writes_no_blob()
    {
        var members = await EnrolAsync(2);
        var bad = Purchase("raw-bad", members[0], 50m) with { Total = 60m };
        // Spaced out as a hand-written message may be: what is kept is the receipt's bytes as sent, not a re-serialisation.
        var message = Message(Purchase("raw-1", members[0], 40m), bad, Purchase("raw-2", members[1], 25m))
            .Replace("{", "{ ", StringComparison.Ordinal).Replace(",", " ,\n  ", StringComparison.Ordinal);
        await SendAsync(message);

        await StartWorkerAsync();
        await WaitUntilQueueIsEmptyAsync(Timeout);

        using var sent = JsonDocument.Parse(message);
        var raw = sent.RootElement.GetProperty("receipts").EnumerateArray().Select(r => r.GetRawText()).ToArray();
        var archive = Backend.GetRequiredService<IReceiptArchive>();
        foreach (var (memberId, index) in new[] { (members[0], 0), (members[1], 2) })
        {
            var summary = Assert.Single(await ReceiptHistoryAsync(memberId));
            Assert.StartsWith(Backend.Storage.Names.Members + "/", summary.Archive);
            var kept = await archive.ReadAsync(summary.Archive!, CancellationToken.None);
            Assert.Equal(raw[index], Encoding.UTF8.GetString(kept!.Content.Span));
        }

        // Only the receipt given up on is written on its own, for the operator reading the poison queue.
        var rejected = Assert.Single(await PoisonEntriesAsync()).GetProperty("archive").GetString()!;
        Assert.Equal(raw[1], Encoding.UTF8.GetString((await archive.ReadAsync(rejected, CancellationToken.None))!.Content.Span));
        Assert.Equal([rejected], await ArchivedBlobsAsync());
    }

    [Fact]
    public async Task A_message_holding_an_anonymous_receipt_is_archived_whole_once_and_its_members_receipts_beside_them()
    {
        var members = await EnrolAsync(1);
        var anonymous = Purchase("anon-q-1", members[0], 15m) with { Member = null };
        var message = Message(Purchase("named-q-1", members[0], 35m), anonymous);
        await SendAsync(message);

        await StartWorkerAsync();
        await WaitUntilQueueIsEmptyAsync(Timeout);

        var blob = Assert.Single(await ArchivedBlobsAsync());
        Assert.Matches("/queue-[^/]+\\.json$", blob);
        var archive = Backend.GetRequiredService<IReceiptArchive>();
        Assert.Equal(message, Encoding.UTF8.GetString((await archive.ReadAsync(blob, CancellationToken.None))!.Content.Span));
        var summary = Assert.Single(await ReceiptHistoryAsync(members[0]));
        Assert.StartsWith(Backend.Storage.Names.Members + "/", summary.Archive);
        Assert.Equal(35, await QualifyingPointsAsync(members[0]));
    }

    [Fact]
    public async Task A_hostile_program_id_is_poisoned_at_once_and_a_receipt_over_the_programs_limits_is_rejected_with_its_code()
    {
        var members = await EnrolAsync(1);
        var controlled = Message(Purchase("ctl-1", members[0], 10m)).Replace(ProgramId, ProgramId + "\\u0007", StringComparison.Ordinal);
        await SendAsync(controlled, Message(Purchase("huge-1", members[0], 2_000_000m), Purchase("fine-1", members[0], 10m)));

        var worker = await StartWorkerAsync(new ReceiptWorkerOptions { Concurrency = 1 });
        await WaitUntilQueueIsEmptyAsync(Timeout);

        var entries = await PoisonEntriesAsync();
        var poisoned = Assert.Single(entries, e => e.TryGetProperty("body", out _));
        Assert.StartsWith("programId:", poisoned.GetProperty("reason").GetString());
        Assert.Equal(1, poisoned.GetProperty("deliveryCount").GetInt64());
        var rejected = Assert.Single(entries, e => e.TryGetProperty("receipt", out _));
        Assert.Equal("huge-1", rejected.GetProperty("receiptId").GetString());
        Assert.Contains(ErrorCodes.LineAmountOverLimit, rejected.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("code").GetString()));
        Assert.Equal(["fine-1"], await HistoryAsync(members[0]));
        Assert.Equal((1L, 1L, 1L, 0L), (worker.Counts.Completed, worker.Counts.RejectedReceipts, worker.Counts.Poisoned, worker.Counts.Failed));
    }

    /// <summary>The message's program is resolved once, before anything is archived or applied: one that does not exist poisons the message.</summary>
    [Fact]
    public async Task A_message_for_a_program_that_does_not_exist_is_poisoned_at_once()
    {
        var members = await EnrolAsync(1);
        var gone = ProgramId + "-gone";
        await SendAsync(Message(Purchase("lost-1", members[0], 10m)).Replace($"\"{ProgramId}\"", $"\"{gone}\"", StringComparison.Ordinal));

        var worker = await StartWorkerAsync();
        await WaitUntilQueueIsEmptyAsync(Timeout);

        var poisoned = Assert.Single(await PoisonEntriesAsync());
        Assert.Equal($"programId: there is no program '{gone}'.", poisoned.GetProperty("reason").GetString());
        Assert.Equal(1, poisoned.GetProperty("deliveryCount").GetInt64());
        Assert.Empty(await HistoryAsync(members[0]));
        Assert.Equal((0L, 0L, 1L, 0L), (worker.Counts.Completed, worker.Counts.RejectedReceipts, worker.Counts.Poisoned, worker.Counts.Failed));
    }

    [Fact]
    public async Task The_same_message_twice_and_the_same_receipt_in_two_messages_earn_points_once()
    {
        var members = await EnrolAsync(2);
        var twice = Message(Purchase("d-1", members[0], 100m), Purchase("d-2", members[1], 40m, quantity: 2));
        await SendAsync(twice, twice, Message(Purchase("d-2", members[1], 40m, quantity: 2), Purchase("d-3", members[0], 7m)));

        // Four at once: the copies race each other.
        var worker = await StartWorkerAsync(new ReceiptWorkerOptions { Concurrency = 4 });
        await WaitUntilQueueIsEmptyAsync(Timeout);

        Assert.Equal(107, await QualifyingPointsAsync(members[0]));
        Assert.Equal(80, await QualifyingPointsAsync(members[1]));
        Assert.Equal(Sorted("d-1", "d-3"), await HistoryAsync(members[0]));
        Assert.Equal(["d-2"], await HistoryAsync(members[1]));
        Assert.Empty(await PoisonEntriesAsync());
        Assert.Equal(3, worker.Counts.Completed);
    }

    [Fact]
    public async Task A_return_with_its_purchase_in_one_message_and_a_return_sent_before_its_purchase_are_both_applied()
    {
        var members = await EnrolAsync(2);
        var together = Purchase("r-1", members[0], 100m, quantity: 2);
        var later = Purchase("r-2", members[1], 60m, quantity: 3);
        // The return ahead of its purchase first: with one message at a time it must wait for the purchase behind it.
        await SendAsync(Message(Return("r-1-back", together, 1), together), Message(Return("r-2-back", later, 1)), Message(later));

        var worker = await StartWorkerAsync(new ReceiptWorkerOptions { Concurrency = 1, RetryDelay = TimeSpan.FromMilliseconds(500) });
        await WaitUntilQueueIsEmptyAsync(Timeout);

        Assert.Equal(200 - 100, await QualifyingPointsAsync(members[0]));
        Assert.Equal(180 - 60, await QualifyingPointsAsync(members[1]));
        Assert.Equal(Sorted("r-1", "r-1-back"), await HistoryAsync(members[0]));
        Assert.Equal(Sorted("r-2", "r-2-back"), await HistoryAsync(members[1]));
        Assert.Empty(await PoisonEntriesAsync());
        // The early return waited for its purchase parked, not on redeliveries that could run out first.
        Assert.Equal(0, worker.Counts.RetriedLater);
        Assert.Equal(3, worker.Counts.Completed);
    }

    /// <summary>The archive's blobs of this test's program, named as <see cref="IReceiptArchive"/> names them.</summary>
    private async Task<List<string>> ArchivedBlobsAsync()
    {
        var container = Backend.Storage.Account.GetContainer(Backend.Storage.Names.ReceiptsContainer);
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, ProgramId + "/", default))
            names.Add($"{container.Name}/{blob.Name}");
        return names;
    }
}
