using System.CommandLine;
using Loyalty.Core.Application.Receipts;
using Loyalty.Core.Serialization;
using Loyalty.Storage.Queues;
using Loyalty.Storage.Repositories;
using Microsoft.Extensions.DependencyInjection;
using static Loyalty.Cli.Failure;

namespace Loyalty.Cli.Pos;

/// <summary><c>loyalty pos send --file message.json</c>: one message file on the receipts queue, for trying out docs/pos-integration.md.</summary>
internal static class SendCommand
{
    public static Command Create(Func<ParseResult, IServiceProvider> backend)
    {
        var file = new Option<FileInfo>("--file") { Description = "A loyalty.receipt.v1 message (JSON, see docs/pos-integration.md).", Required = true };
        var command = new Command("send", "Put one message file on the receipts queue, as a POS would.") { file };
        var serviceBus = new ServiceBusTarget.Options(command);
        command.SetAction(async (parse, ct) =>
        {
            byte[] body;
            try
            {
                body = await File.ReadAllBytesAsync(parse.GetValue(file)!.FullName, ct);
            }
            catch (IOException e)
            {
                return Fail($"Cannot read the message: {e.Message}");
            }
            // The checks the worker makes on a message as a whole, so a typo is reported here rather than found in the
            // poison queue; each receipt is still checked by the worker.
            var parsed = StrictJson.Parse<ReceiptMessage>(body);
            if (parsed.Value is not { } message)
                return Fail($"Not a {ReceiptMessage.MessageType} message: {(parsed.Path is { Length: > 0 } at ? at + ": " : "")}{parsed.Error}");
            if (message.Type != ReceiptMessage.MessageType)
                return Fail($"type: expected '{ReceiptMessage.MessageType}', found '{message.Type}'.");
            if (message.Receipts.Count is 0 or > ReceiptMessage.MaxReceipts)
                return Fail($"receipts: a message carries 1 to {ReceiptMessage.MaxReceipts} receipts, this one {message.Receipts.Count}.");
            if (serviceBus.Get(parse) is { } target)
                return await SendToServiceBusAsync(target, body, message, ct);
            if (body.Length > QueueBodies.MaxBodyBytes)
                return Fail($"The message is {body.Length:N0} bytes; the queue takes at most {QueueBodies.MaxBodyBytes:N0}. Split its " +
                    "receipts over several messages.");

            var storage = backend(parse).GetRequiredService<LoyaltyStorage>();
            await storage.EnsureCreatedAsync(ct);
            var sent = await storage.ReceiptsQueue.SendBodyAsync(new BinaryData(body), cancellationToken: ct);
            Console.WriteLine($"Sent {message.Receipts.Count} receipt(s) for program '{message.ProgramId}' to queue " +
                $"'{storage.ReceiptsQueue.Name}' as message {sent.MessageId}.");
            return 0;
        });
        return command;
    }

    private static async Task<int> SendToServiceBusAsync(ServiceBusTarget target, byte[] body, ReceiptMessage message, CancellationToken cancellationToken)
    {
        var sbMessage = ServiceBusReceipts.Message(new BinaryData(body), message.ProgramId, [.. message.Receipts.Select(r => r.Id)]);
        var failure = await target.SendAsync(async batcher =>
        {
            await batcher.AddAsync(sbMessage, message.Receipts.Count, cancellationToken);
            await batcher.FlushAsync(cancellationToken);
        }, _ => { }, cancellationToken);
        if (failure is not null) return Fail(failure);
        Console.WriteLine($"Sent {message.Receipts.Count} receipt(s) for program '{message.ProgramId}' to {target} as message {sbMessage.MessageId}.");
        return 0;
    }
}
