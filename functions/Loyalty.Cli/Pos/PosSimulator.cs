using System.Diagnostics;
using Azure.Storage.Queues;
using Loyalty.Storage.Queues;
using Spectre.Console;

namespace Loyalty.Cli.Pos;

/// <summary>
/// Puts a plan's messages on the receipts queue, one at a time and in order, then watches the queue drain.
/// The producer is bounded: Azurite's receive and delete slow down steeply with the number of messages stored
/// (docs/benchmarks.md, Azurite's limits), so flooding the queue would measure the emulator, not the worker.
/// </summary>
/// <param name="stall">How long the queue may go without shrinking while we wait for it before giving up.</param>
internal sealed class PosSimulator(QueueClient queue, TimeSpan stall)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    /// <param name="rate">Receipts per second to aim at; 0 for as fast as the queue depth allows.</param>
    /// <param name="maxDepth">Messages the queue may hold; sending pauses at this depth until the worker catches up.</param>
    public async Task<SendResult> SendAsync(SimulationPlan plan, double rate, int maxDepth, ProgressTask progress, CancellationToken cancellationToken)
    {
        var depth = (await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
        // The depth is at most the last reading plus the messages sent since, so the queue is read only when that
        // bound reaches the limit, not before every send.
        var sentSinceReading = 0;
        var receipts = 0L;
        var waited = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        foreach (var message in plan.Messages)
        {
            if (Ahead(receipts, rate, clock.Elapsed) is { Ticks: > 0 } ahead)
                await Task.Delay(ahead, cancellationToken);
            if (depth + sentSinceReading >= maxDepth)
            {
                var pausedAt = clock.Elapsed;
                var watch = new DepthWatch(queue, stall);
                while ((depth = await watch.ReadAsync(cancellationToken)) >= maxDepth)
                {
                    progress.Description = $"Sending (paused: {depth:N0} messages queued)";
                    await Task.Delay(Poll, cancellationToken);
                }
                sentSinceReading = 0;
                waited += clock.Elapsed - pausedAt;
                progress.Description = "Sending";
            }
            await queue.SendBodyAsync(BinaryData.FromString(message.Body), cancellationToken: cancellationToken);
            sentSinceReading++;
            receipts += message.Receipts.Count;
            progress.Increment(message.Receipts.Count);
        }
        progress.StopTask();
        return new SendResult(receipts, plan.Messages.Count, clock.Elapsed, waited);
    }

    /// <summary>How far the sender is ahead of <paramref name="rate"/> receipts per second (0 for no rate): the pause before the next send.</summary>
    public static TimeSpan Ahead(long receiptsSent, double rate, TimeSpan elapsed) =>
        rate > 0 ? TimeSpan.FromSeconds(receiptsSent / rate) - elapsed : TimeSpan.Zero;

    /// <summary>Waits until the queue is empty: every message completed or moved to the poison queue.</summary>
    public async Task DrainAsync(ProgressTask progress, CancellationToken cancellationToken)
    {
        var watch = new DepthWatch(queue, stall);
        var depth = await watch.ReadAsync(cancellationToken);
        progress.MaxValue = Math.Max(depth, 1);
        while (depth > 0)
        {
            progress.Description = $"Draining ({depth:N0} messages left)";
            progress.MaxValue = Math.Max(progress.MaxValue, depth);
            progress.Value = progress.MaxValue - depth;
            await Task.Delay(Poll, cancellationToken);
            depth = await watch.ReadAsync(cancellationToken);
        }
        progress.Description = "Drained";
        progress.Value = progress.MaxValue;
        progress.StopTask();
    }

    /// <summary>Gives up on a queue that stops shrinking: no worker is running, or it is stuck.</summary>
    private sealed class DepthWatch(QueueClient queue, TimeSpan stall)
    {
        private readonly Stopwatch sinceShrunk = Stopwatch.StartNew();
        private int smallest = int.MaxValue;

        public async Task<int> ReadAsync(CancellationToken cancellationToken)
        {
            var depth = (await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
            if (depth < smallest)
            {
                smallest = depth;
                sinceShrunk.Restart();
            }
            else if (sinceShrunk.Elapsed > stall)
            {
                throw new TimeoutException($"The {queue.Name} queue has held {depth:N0} messages or more for " +
                    $"{stall.TotalSeconds:N0} s: is a worker consuming it?");
            }
            return depth;
        }
    }
}

/// <param name="Elapsed">First send to last send.</param>
/// <param name="Paused">Of that, the time spent waiting for the queue to fall below the depth limit.</param>
internal sealed record SendResult(long Receipts, int Messages, TimeSpan Elapsed, TimeSpan Paused);
