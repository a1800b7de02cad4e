using Loyalty.Testing;
using System.Diagnostics;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Receipts;
using Loyalty.Core.Validation;
using Loyalty.Local.Workers;
using Xunit;
using Xunit.Abstractions;

namespace Loyalty.Local.Tests;

/// <summary>Stopping the worker: messages in flight may finish within the grace period; the rest are handed back at once.</summary>
public sealed class ShutdownTests(ITestOutputHelper output) : WorkerTest(output)
{
    private static readonly TimeSpan ShutdownWait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_message_still_in_flight_after_the_grace_period_is_released_for_another_worker_at_once()
    {
        var member = (await EnrolAsync(1))[0];
        await SendAsync(Message(Purchase("s-1", member, 10m)));
        var stuck = new GatedReceipts(Backend.Receipts, System.Threading.Timeout.InfiniteTimeSpan);
        // Hidden for a minute when received: only the release can make it visible again within this test.
        var worker = await StartWorkerAsync(new ReceiptWorkerOptions { VisibilityTimeout = TimeSpan.FromMinutes(1),
            ShutdownGrace = TimeSpan.FromMilliseconds(200) }, stuck);
        await stuck.Entered.Task.WaitAsync(ShutdownWait);

        var stopping = Stopwatch.StartNew();
        await worker.StopAsync(CancellationToken.None);

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(5), $"Stopping took {stopping.Elapsed}.");
        Assert.Equal(1, worker.Counts.Released);
        var again = Assert.Single((await Receipts.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30))).Value);
        Assert.Equal(2, again.DequeueCount);
        Assert.Equal(0, await QualifyingPointsAsync(member));
        Assert.Empty(await PoisonEntriesAsync());
    }

    [Fact]
    public async Task A_message_that_finishes_within_the_grace_period_is_completed_before_the_worker_stops()
    {
        var member = (await EnrolAsync(1))[0];
        await SendAsync(Message(Purchase("s-2", member, 25m)));
        var slow = new GatedReceipts(Backend.Receipts, TimeSpan.FromMilliseconds(500));
        var worker = await StartWorkerAsync(new ReceiptWorkerOptions { ShutdownGrace = TimeSpan.FromSeconds(10) }, slow);
        await slow.Entered.Task.WaitAsync(ShutdownWait);

        await worker.StopAsync(CancellationToken.None);

        Assert.Equal((1L, 0L), (worker.Counts.Completed, worker.Counts.Released));
        Assert.Equal(0, (await Receipts.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Equal(25, await QualifyingPointsAsync(member));
    }

    /// <summary>Holds every receipt for <paramref name="hold"/> (or until cancelled) before applying it.</summary>
    private sealed class GatedReceipts(IReceiptService inner, TimeSpan hold) : IReceiptService
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<Result<ReceiptResult>> ApplyAsync(LoadedProgram program, PosReceipt receipt, string? archived, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Task.Delay(hold, cancellationToken);
            return await inner.ApplyAsync(program, receipt, archived, cancellationToken);
        }

        public async Task<Result<ReceiptResult>> ApplyRawAsync(
            LoadedProgram program, PosReceipt receipt, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Task.Delay(hold, cancellationToken);
            return await inner.ApplyRawAsync(program, receipt, payload, cancellationToken);
        }

        public Task<Result<ReceiptResult>> SubmitAsync(
            LoadedProgram program, PosReceipt receipt, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
            inner.SubmitAsync(program, receipt, payload, cancellationToken);

        public Task<string> ArchiveAsync(LoadedProgram program, string name, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
            inner.ArchiveAsync(program, name, payload, cancellationToken);

        public Task<Result<Page<ParkedReceipt>>> ListParkedAsync(LoadedProgram program, PageRequest page, CancellationToken cancellationToken) =>
            inner.ListParkedAsync(program, page, cancellationToken);

        public Task<int> ReplayParkedAsync(LoadedProgram program, CancellationToken cancellationToken) => inner.ReplayParkedAsync(program, cancellationToken);

        public Task<Result<ReceiptResult>> RetryParkedAsync(LoadedProgram program, string receiptId, StaffChange by, CancellationToken cancellationToken) =>
            inner.RetryParkedAsync(program, receiptId, by, cancellationToken);

        public Task<Result<ParkedReceipt>> DiscardParkedAsync(LoadedProgram program, string receiptId, StaffChange by, CancellationToken cancellationToken) =>
            inner.DiscardParkedAsync(program, receiptId, by, cancellationToken);
    }
}
