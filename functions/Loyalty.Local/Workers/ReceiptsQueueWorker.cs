using System.Collections.Concurrent;
using System.Diagnostics;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Receipts;
using Loyalty.Hosting.Receipts;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Loyalty.Storage.Errors;
using Loyalty.Storage.Queues;
using Loyalty.Storage.Repositories;

namespace Loyalty.Local.Workers;

/// <summary>Settings of <see cref="ReceiptsQueueWorker"/>, from the <c>Receipts:Worker</c> configuration section.</summary>
public sealed record ReceiptWorkerOptions
{
    public const string Section = "Receipts:Worker";

    public bool Enabled { get; init; } = true;

    /// <summary>
    /// Messages handled at once; the worker receives only as many as it has room for (up to 32, the queue's maximum per
    /// receive), in one call. Each message's receipts are storage requests of their own, so slots beyond what the storage
    /// sustains only queue there and slow every message: measured in docs/benchmarks.md ("The receipts worker's
    /// concurrency").
    /// </summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>Receipts of one message applied at once.</summary>
    public int Parallelism { get; init; } = 8;

    /// <summary>How long a received message stays hidden; renewed at half-time while it is being handled.</summary>
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A message that can be finished only later (a busy member) is back after this
    /// times its delivery count (5 s, 10 s, …), until the handler gives up on delivery <see cref="ReceiptMessageHandler.MaxDeliveries"/>.
    /// </summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>On shutdown, how long messages in flight may take to finish before they are released to another worker.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Polling an empty queue backs off from 10 ms, doubling up to this; while messages flow it does not wait at all. A
    /// message sent during the wait waits for it, so a long ceiling becomes most of a lightly loaded queue's
    /// receipt-to-points latency, while an empty receive costs Azurite next to nothing (docs/benchmarks.md).
    /// </summary>
    public TimeSpan MaxIdleDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often the counts are logged (at Information, only when something happened).</summary>
    public TimeSpan ReportInterval { get; init; } = TimeSpan.FromMinutes(1);

    public static ReceiptWorkerOptions From(IConfiguration configuration) =>
        (configuration.GetSection(Section).Get<ReceiptWorkerOptions>() ?? new ReceiptWorkerOptions()).Validated();

    /// <exception cref="InvalidOperationException">A setting is out of range; the message names it.</exception>
    public ReceiptWorkerOptions Validated()
    {
        Require(Concurrency is >= 1 and <= 64, "Concurrency", "1 to 64");
        Require(Parallelism is >= 1 and <= 64, "Parallelism", "1 to 64");
        Require(VisibilityTimeout >= TimeSpan.FromSeconds(2) && VisibilityTimeout <= TimeSpan.FromDays(7), "VisibilityTimeout", "2 s to 7 days");
        Require(RetryDelay >= TimeSpan.Zero && RetryDelay <= TimeSpan.FromDays(7), "RetryDelay", "0 to 7 days");
        Require(ShutdownGrace >= TimeSpan.Zero, "ShutdownGrace", "0 or more");
        Require(MaxIdleDelay > TimeSpan.Zero, "MaxIdleDelay", "more than 0");
        Require(ReportInterval > TimeSpan.Zero, "ReportInterval", "more than 0");
        return this;
    }

    private static void Require(bool ok, string name, string range)
    {
        if (!ok) throw new InvalidOperationException($"{Section}:{name} must be {range}.");
    }
}

/// <summary>What a <see cref="ReceiptsQueueWorker"/> has done since it started.</summary>
/// <param name="Completed">Messages done and deleted (including those with rejected receipts).</param>
/// <param name="RejectedReceipts">Receipts of completed messages written to the poison queue.</param>
/// <param name="Poisoned">Whole messages written to the poison queue and deleted.</param>
/// <param name="RetriedLater">Messages left for a later delivery because some receipt could be applied only later.</param>
/// <param name="Failed">Handling failed (storage trouble); the message reappears after its visibility timeout.</param>
/// <param name="Released">Unfinished at shutdown and made visible again at once.</param>
public sealed record ReceiptWorkerCounts(long Received, long Completed, long RejectedReceipts, long Poisoned, long RetriedLater, long Failed, long Released)
{
    public ReceiptWorkerCounts Minus(ReceiptWorkerCounts other) => new(
        Received - other.Received, Completed - other.Completed, RejectedReceipts - other.RejectedReceipts, Poisoned - other.Poisoned,
        RetriedLater - other.RetriedLater, Failed - other.Failed, Released - other.Released);
}

/// <summary>
/// Reads <c>loyalty.receipt.v1</c> messages from the receipts storage queue and hands each to
/// <see cref="ReceiptMessageHandler"/>, up to <see cref="ReceiptWorkerOptions.Concurrency"/> at once. A message is deleted
/// only after everything it caused is stored (receipts applied, rejects and poison entries written), so a crash at any
/// point means a redelivery, which applying receipts idempotently makes harmless. One bad message never blocks the queue:
/// it goes to the poison queue (at once when it is unusable; after <see cref="ReceiptMessageHandler.MaxDeliveries"/>
/// failed deliveries otherwise) while the others keep flowing.
/// </summary>
public sealed class ReceiptsQueueWorker : BackgroundService
{
    private static readonly TimeSpan MinIdleDelay = TimeSpan.FromMilliseconds(10);
    private const int MaxReceive = 32;
    private static readonly TimeSpan MaxErrorDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(5);

    private readonly QueueClient queue;
    private readonly ReceiptMessageHandler handler;
    private readonly ReceiptPoisonQueue poison;
    private readonly ReceiptWorkerOptions options;
    private readonly ILogger<ReceiptsQueueWorker> logger;
    private long received, completed, rejectedReceipts, poisoned, retriedLater, failed, released;
    private readonly MessageTimes times = new();

    public ReceiptsQueueWorker(LoyaltyStorage storage, IReceiptService receipts, ProgramCache programs, ReceiptPoisonQueue poison,
        ReceiptWorkerOptions options, ILogger<ReceiptsQueueWorker> logger)
    {
        ArgumentNullException.ThrowIfNull(storage);
        queue = storage.ReceiptsQueue;
        handler = new ReceiptMessageHandler(receipts, programs);
        this.poison = poison;
        this.options = options.Validated();
        this.logger = logger;
    }

    public ReceiptWorkerCounts Counts => new(
        Interlocked.Read(ref received), Interlocked.Read(ref completed), Interlocked.Read(ref rejectedReceipts), Interlocked.Read(ref poisoned),
        Interlocked.Read(ref retriedLater), Interlocked.Read(ref failed), Interlocked.Read(ref released));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Cancelled when the shutdown grace period is over: work in flight (and a receive under way) is not cut short by
        // the stop itself, only by the end of the grace period.
        using var hardStop = new CancellationTokenSource();
        using var graceTimer = stoppingToken.Register(() => hardStop.CancelAfter(options.ShutdownGrace));
        using var slots = new SemaphoreSlim(options.Concurrency, options.Concurrency);
        var inFlight = new ConcurrentDictionary<long, Task>();
        var started = 0L;
        var idle = TimeSpan.Zero;
        var errorDelay = TimeSpan.Zero;
        var reported = Counts;
        var lastReport = Stopwatch.StartNew();
        logger.LogInformation("Receipt worker reading queue {Queue}: {Concurrency} messages at once, {Parallelism} receipts per " +
            "message, visibility {Visibility}.",
            queue.Name, options.Concurrency, options.Parallelism, options.VisibilityTimeout);

        while (!stoppingToken.IsCancellationRequested)
        {
            if (lastReport.Elapsed >= options.ReportInterval)
            {
                reported = Report(reported, lastReport.Elapsed);
                lastReport.Restart();
            }

            if (!await Wait(() => slots.WaitAsync(stoppingToken))) break;
            var room = 1;
            while (room < MaxReceive && slots.Wait(0)) room++;

            IReadOnlyList<QueueMessage> messages;
            try
            {
                // Not the stopping token: a receive cut short may have hidden messages we would then never see.
                // Received during the grace period, they are handled (or released when it ends).
                // Received without a message encoding and decoded one by one (QueueBodies): a plain-text message from a POS is
                // applied like the others instead of failing the whole batch.
                messages = (await queue.ReceiveMessagesAsync(room, options.VisibilityTimeout, hardStop.Token)).Value;
                errorDelay = TimeSpan.Zero;
            }
            catch (OperationCanceledException)
            {
                slots.Release(room);
                break;
            }
            catch (Exception e)
            {
                slots.Release(room);
                errorDelay = errorDelay == TimeSpan.Zero ? MinIdleDelay * 20 : Min(errorDelay * 2, MaxErrorDelay);
                logger.LogWarning("Receiving from queue {Queue} failed ({Error}); trying again in {Delay}.", queue.Name, Describe(e), errorDelay);
                if (!await Wait(() => Task.Delay(errorDelay, stoppingToken))) break;
                continue;
            }

            if (room > messages.Count) slots.Release(room - messages.Count);
            if (messages.Count == 0)
            {
                idle = idle == TimeSpan.Zero ? MinIdleDelay : Min(idle * 2, options.MaxIdleDelay);
                if (!await Wait(() => Task.Delay(idle, stoppingToken))) break;
                continue;
            }

            idle = TimeSpan.Zero;
            Interlocked.Add(ref received, messages.Count);
            foreach (var message in messages)
            {
                var key = ++started;
                inFlight[key] = Task.Run(async () =>
                {
                    try
                    {
                        await ProcessAsync(message, hardStop.Token);
                    }
                    finally
                    {
                        inFlight.TryRemove(key, out _);
                        slots.Release();
                    }
                }, CancellationToken.None);
            }
        }

        await DrainAsync(inFlight);
        Report(reported, lastReport.Elapsed);
    }

    /// <summary>Lets messages in flight finish within the grace period; then they are cancelled, and each releases its message.</summary>
    private async Task DrainAsync(ConcurrentDictionary<long, Task> inFlight)
    {
        var pending = inFlight.Values.ToArray();
        if (pending.Length == 0) return;
        logger.LogInformation("Receipt worker stopping: waiting up to {Grace} for {Count} messages in flight.", options.ShutdownGrace, pending.Length);
        await Task.WhenAll(pending);
    }

    /// <summary>Handles one message to the end; never throws (a failure leaves the message to reappear).</summary>
    private async Task ProcessAsync(QueueMessage message, CancellationToken hardStop)
    {
        var started = Stopwatch.GetTimestamp();
        // The service's clock against ours, and to the second (the queue reports insertion times in whole seconds, so this
        // reads up to a second long): enough for an operator watching the queue fall behind, not for timing a message.
        var queued = message.InsertedOn is { } inserted ? DateTimeOffset.UtcNow - inserted : TimeSpan.Zero;
        var lease = new Lease(message.PopReceipt);
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(hardStop);
        var renewal = RenewAsync(message, lease, renewing.Token, hardStop);
        string outcome;
        try
        {
            MessageVerdict? verdict;
            try
            {
                verdict = await handler.HandleAsync(message.DecodedBody().ToMemory(), message.MessageId, message.DequeueCount, options.Parallelism, hardStop);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Storage trouble, most likely: try again on the next delivery, unless this was the last one.
                verdict = message.DequeueCount < ReceiptMessageHandler.MaxDeliveries
                    ? null
                    : MessageVerdict.Poison($"Failed on delivery {message.DequeueCount} of {ReceiptMessageHandler.MaxDeliveries}: {Describe(e)}");
                if (verdict is null)
                {
                    logger.LogWarning("Receipt message {MessageId} failed on delivery {Delivery} of {MaxDeliveries}; it will be retried: {Error}",
                        message.MessageId, message.DequeueCount, ReceiptMessageHandler.MaxDeliveries, Describe(e));
                }
            }

            // The renewal must not change the pop receipt under the delete or visibility update that follows.
            await StopRenewingAsync(renewing, renewal);
            switch (verdict?.Action)
            {
                case null:
                    Interlocked.Increment(ref failed);
                    outcome = "failed, left for a retry";
                    break;
                case MessageAction.Complete:
                    foreach (var rejected in verdict.Rejected)
                        await poison.WriteRejectedAsync(rejected, message.MessageId, message.DequeueCount, hardStop);
                    await DeleteAsync(message, lease, hardStop);
                    Interlocked.Increment(ref completed);
                    Interlocked.Add(ref rejectedReceipts, verdict.Rejected.Count);
                    outcome = verdict.Rejected.Count == 0 ? "completed" : $"completed, {verdict.Rejected.Count} receipts rejected to the poison queue";
                    break;
                case MessageAction.Poison:
                    await poison.WriteMessageAsync(message.DecodedBody().ToMemory(), message.MessageId, message.DequeueCount, verdict.Reason
                        ?? "Unusable message.", hardStop);
                    await DeleteAsync(message, lease, hardStop);
                    Interlocked.Increment(ref poisoned);
                    outcome = $"poisoned: {verdict.Reason}";
                    break;
                case MessageAction.RetryLater:
                default:
                    var delay = Min(options.RetryDelay * message.DequeueCount, options.VisibilityTimeout);
                    await queue.UpdateMessageAsync(message.MessageId, lease.PopReceipt, (BinaryData?)null, delay, hardStop);
                    Interlocked.Increment(ref retriedLater);
                    outcome = $"retry in {delay.TotalSeconds:0.#} s: {verdict.Reason}";
                    break;
            }
        }
        catch (OperationCanceledException) when (hardStop.IsCancellationRequested)
        {
            await StopRenewingAsync(renewing, renewal);
            outcome = await ReleaseAsync(message, lease);
        }
        catch (Exception e)
        {
            // Writing to the poison queue, deleting or hiding failed: the message reappears after its visibility timeout.
            Interlocked.Increment(ref failed);
            logger.LogWarning("Receipt message {MessageId} (delivery {Delivery}) could not be finished; it will be retried: {Error}",
                message.MessageId, message.DequeueCount, Describe(e));
            outcome = "failed, left for a retry";
        }
        finally
        {
            await StopRenewingAsync(renewing, renewal);
        }

        var handled = Stopwatch.GetElapsedTime(started);
        times.Add(queued, handled);
        logger.LogDebug("Receipt message {MessageId} (delivery {Delivery}): {Outcome} in {Elapsed:0} ms, {Queued:0} ms after it was sent.",
            message.MessageId, message.DequeueCount, outcome, handled.TotalMilliseconds, queued.TotalMilliseconds);
    }

    /// <summary>Keeps the message hidden while it is handled, however long that takes.</summary>
    private async Task RenewAsync(QueueMessage message, Lease lease, CancellationToken stop, CancellationToken hardStop)
    {
        var period = options.VisibilityTimeout / 2;
        while (true)
        {
            try
            {
                await Task.Delay(period, stop);
                // Only the delay stops early: an update cut short may have changed the pop receipt without telling us.
                lease.PopReceipt = (await queue.UpdateMessageAsync(message.MessageId, lease.PopReceipt, (BinaryData?)null, options.VisibilityTimeout, hardStop))
                    .Value.PopReceipt;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (RequestFailedException e)
            {
                // Gone or taken by another worker (it will apply the receipts again, harmlessly); or storage trouble.
                logger.LogDebug("Receipt message {MessageId}: could not extend its visibility ({Error}).", message.MessageId, Describe(e));
                return;
            }
        }
    }

    private static async Task StopRenewingAsync(CancellationTokenSource renewing, Task renewal)
    {
        if (!renewing.IsCancellationRequested) await renewing.CancelAsync();
        await renewal;
    }

    private async Task DeleteAsync(QueueMessage message, Lease lease, CancellationToken cancellationToken)
    {
        try
        {
            await queue.DeleteMessageAsync(message.MessageId, lease.PopReceipt, cancellationToken);
        }
        catch (RequestFailedException e) when (e.ErrorCode == "PopReceiptMismatch" || e.IsNotFound())
        {
            // Our hold lapsed and another worker has the message (or has finished it already); it finishes the job.
            logger.LogDebug("Receipt message {MessageId}: another worker holds it now ({Error}).", message.MessageId, Describe(e));
        }
    }

    /// <summary>Makes an unfinished message visible at once, so another worker need not wait out its visibility timeout.</summary>
    private async Task<string> ReleaseAsync(QueueMessage message, Lease lease)
    {
        try
        {
            using var timeout = new CancellationTokenSource(ReleaseTimeout);
            await queue.UpdateMessageAsync(message.MessageId, lease.PopReceipt, (BinaryData?)null, TimeSpan.Zero, timeout.Token);
            Interlocked.Increment(ref released);
            return "released unfinished at shutdown";
        }
        catch (Exception e) when (e is RequestFailedException or OperationCanceledException)
        {
            logger.LogWarning("Receipt message {MessageId} could not be released at shutdown ({Error}); it reappears after its visibility timeout.",
                message.MessageId, Describe(e));
            return "unfinished at shutdown, not released";
        }
    }

    private ReceiptWorkerCounts Report(ReceiptWorkerCounts since, TimeSpan elapsed)
    {
        var now = Counts;
        var delta = now.Minus(since);
        var (count, queued, maxQueued, handled, maxHandled) = times.Take();
        if (delta != new ReceiptWorkerCounts(0, 0, 0, 0, 0, 0, 0))
        {
            logger.LogInformation(
                "Receipt worker, last {Elapsed:0} s: {Received} received, {Completed} completed, {Rejected} receipts rejected, {Poisoned} poisoned, " +
                "{Retried} retried later, {Failed} failed, {Released} released; messages were taken up {Queued:0} ms after they were sent " +
                "on average (to the second; at most {MaxQueued:0}) and took {Handled:0} ms (at most {MaxHandled:0}).",
                elapsed.TotalSeconds, delta.Received, delta.Completed, delta.RejectedReceipts, delta.Poisoned,
                delta.RetriedLater, delta.Failed, delta.Released, queued.TotalMilliseconds / Math.Max(1, count), maxQueued.TotalMilliseconds,
                handled.TotalMilliseconds / Math.Max(1, count), maxHandled.TotalMilliseconds);
        }

        return now;
    }

    /// <summary>Awaits <paramref name="wait"/>; false when it was cancelled (the worker is stopping).</summary>
    private static async Task<bool> Wait(Func<Task> wait)
    {
        try
        {
            await wait();
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>One line an operator can act on: never a stack trace, nor the SDKs' multi-line messages quoting responses.</summary>
    private static string Describe(Exception e) => StorageFailures.Describe(e);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>The message's current pop receipt: every visibility update replaces it.</summary>
    private sealed class Lease(string popReceipt)
    {
        private string popReceipt = popReceipt;

        public string PopReceipt
        {
            get => Volatile.Read(ref popReceipt);
            set => Volatile.Write(ref popReceipt, value);
        }
    }
}

/// <summary>
/// How long messages waited in the queue and took to handle, summed and at most, since the last report: the worker's
/// own answer to where a receipt's time to points goes.
/// </summary>
public sealed class MessageTimes
{
    private readonly Lock gate = new();
    private long count;
    private TimeSpan queued, maxQueued, handled, maxHandled;

    public void Add(TimeSpan queuedFor, TimeSpan handledIn)
    {
        lock (gate)
        {
            count++;
            (queued, handled) = (queued + queuedFor, handled + handledIn);
            (maxQueued, maxHandled) = (queuedFor > maxQueued ? queuedFor : maxQueued, handledIn > maxHandled ? handledIn : maxHandled);
        }
    }

    /// <summary>The figures since the last call, and a fresh start.</summary>
    public (long Count, TimeSpan Queued, TimeSpan MaxQueued, TimeSpan Handled, TimeSpan MaxHandled) Take()
    {
        lock (gate)
        {
            var taken = (count, queued, maxQueued, handled, maxHandled);
            (count, queued, maxQueued, handled, maxHandled) = (0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
            return taken;
        }
    }
}
