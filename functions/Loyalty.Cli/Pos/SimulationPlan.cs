using System.Text;
using Loyalty.Core.Application.Receipts;
using Loyalty.Core.Serialization;
using Loyalty.Storage.Queues;

namespace Loyalty.Cli.Pos;

/// <param name="Duplicate">A receipt sent before, re-sent verbatim (a till retrying after a lost acknowledgement).</param>
internal sealed record PlannedReceipt(PosReceipt Receipt, bool Duplicate);

/// <param name="Body">The message as it goes on the queue: <c>loyalty.receipt.v1</c> JSON, at most <see cref="QueueBodies.MaxBodyBytes"/>.</param>
internal sealed record PlannedMessage(string Body, int Bytes, IReadOnlyList<PlannedReceipt> Receipts);

/// <summary>
/// Every message of a run, built before the first send so the expected outcome can be computed up front and a seed
/// reproduces the whole run. Returns and duplicates only refer to receipts of earlier messages: the simulator sends
/// one message at a time, so a return is never on the queue before its purchase has been accepted.
/// </summary>
internal sealed class SimulationPlan
{
    private SimulationPlan(IReadOnlyList<PlannedMessage> messages) => Messages = messages;

    public IReadOnlyList<PlannedMessage> Messages { get; }

    public IEnumerable<PlannedReceipt> Receipts => Messages.SelectMany(m => m.Receipts);

    /// <param name="batch">Receipts per message at most (fewer when 48 KiB is reached first).</param>
    /// <param name="returns">Share of receipts that return part of an earlier member purchase.</param>
    /// <param name="duplicates">Share of receipts that repeat an earlier receipt.</param>
    public static SimulationPlan Build(
        string programId, string runId, int receipts, int batch, double returns, double duplicates, Random random, BasketGenerator baskets)
    {
        var messages = new List<PlannedMessage>();
        var current = new List<PlannedReceipt>();
        var currentBytes = Envelope(programId);
        // Receipts of messages already closed, each used at most once as a return's purchase or as a duplicate.
        var returnable = new List<PosReceipt>();
        var repeatable = new List<PosReceipt>();

        for (var n = 1; n <= receipts; n++)
        {
            var roll = random.NextDouble();
            var next = roll < returns && returnable.Count > 0
                ? new PlannedReceipt(baskets.Return($"sim-{runId}-{n:D6}", Take(returnable)), false)
                : roll < returns + duplicates && repeatable.Count > 0
                    ? new PlannedReceipt(Take(repeatable), true)
                    : new PlannedReceipt(baskets.Purchase($"sim-{runId}-{n:D6}"), false);
            var bytes = Encoding.UTF8.GetByteCount(LoyaltyJson.Serialize(next.Receipt));
            if (current.Count == batch || currentBytes + 1 + bytes > QueueBodies.MaxBodyBytes) Close();
            current.Add(next);
            currentBytes += bytes + (current.Count > 1 ? 1 : 0);
        }
        if (current.Count > 0) Close();
        return new SimulationPlan(messages);

        void Close()
        {
            var body = LoyaltyJson.Serialize(new ReceiptMessage { Type = ReceiptMessage.MessageType, ProgramId = programId,
                Receipts = current.Select(r => r.Receipt).ToArray() });
            var size = Encoding.UTF8.GetByteCount(body);
            if (size > QueueBodies.MaxBodyBytes)
                throw new InvalidOperationException($"A planned message is {size} bytes, over the queue's " +
                    $"{QueueBodies.MaxBodyBytes}; the size estimate is wrong.");
            messages.Add(new PlannedMessage(body, size, current));
            foreach (var receipt in current.Where(r => !r.Duplicate).Select(r => r.Receipt))
            {
                repeatable.Add(receipt);
                if (receipt is { ReturnOf: null, Member: not null }) returnable.Add(receipt);
            }
            current = [];
            currentBytes = Envelope(programId);
        }

        PosReceipt Take(List<PosReceipt> pool)
        {
            var i = random.Next(pool.Count);
            var taken = pool[i];
            pool[i] = pool[^1];
            pool.RemoveAt(pool.Count - 1);
            return taken;
        }
    }

    /// <summary>The bytes of a message without receipts; each receipt then adds its own bytes and a comma.</summary>
    private static int Envelope(string programId) =>
        Encoding.UTF8.GetByteCount(LoyaltyJson.Serialize(new ReceiptMessage { Type = ReceiptMessage.MessageType, ProgramId = programId, Receipts = [] }));
}
