using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Loyalty.Core.Application.Receipts;
using Loyalty.Core.Serialization;
using Loyalty.Core.Validation;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Loyalty.Storage.Queues;
using Loyalty.Storage.Repositories;

namespace Loyalty.Hosting.Receipts;

/// <summary>
/// Writes <c>loyalty.receipt.poison.v1</c> entries to the receipts-poison queue, for every host: one per rejected
/// receipt of a good message (<see cref="WriteRejectedAsync"/>), one per unusable message (<see cref="WriteMessageAsync"/>);
/// the fields: docs/pos-integration.md, 'The poison queue'. An entry never exceeds the queue's 48 KiB: a rejected
/// receipt too large to carry is left out (the handler archived the whole message, which <c>archive</c> names), a message
/// body too large is written to <c>poison/{messageId}.txt</c> in the receipts container instead. Writing is at least
/// once: a host that crashes between writing and deleting the message writes the entry again.
/// </summary>
public sealed class ReceiptPoisonQueue
{
    public const string MessageType = "loyalty.receipt.poison.v1";

    /// <summary>Errors kept per rejected receipt (a 500-line receipt can have thousands); the rest are counted in the note.</summary>
    private const int MaxErrors = 50;

    private const int MaxReasonLength = 2_000;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly LoyaltyStorage storage;

    public ReceiptPoisonQueue(LoyaltyStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        this.storage = storage;
    }

    public QueueClient Queue => storage.ReceiptsPoisonQueue;

    /// <summary>A receipt of a good message that can never be applied as it is; it goes to the poison queue alone, with its errors.</summary>
    public async Task WriteRejectedAsync(RejectedReceipt rejected, string messageId, long deliveryCount, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        var codes = string.Join(", ", rejected.Errors.Select(e => e.Code).Distinct());
        var entry = new Entry(Shorten($"Receipt '{rejected.Receipt.Id}' cannot be applied: {codes}."), messageId, deliveryCount)
        {
            ProgramId = rejected.ProgramId,
            ReceiptId = rejected.Receipt.Id,
            Receipt = rejected.Receipt,
            Errors = rejected.Errors.Take(MaxErrors).ToList(),
            Archive = rejected.Archive,
            Note = rejected.Errors.Count > MaxErrors ? $"{rejected.Errors.Count - MaxErrors} more errors left out." : null,
        };

        var bytes = entry.ToJson();
        if (bytes.Length > QueueBodies.MaxBodyBytes)
        {
            entry = entry with { Receipt = null, Note = Join(entry.Note, "The receipt is too large to carry here; it is in the archive.") };
            bytes = entry.ToJson();
        }

        if (bytes.Length > QueueBodies.MaxBodyBytes)
        {
            entry = entry with { Errors = entry.Errors!.Take(5).ToList(), Note = Join(entry.Note, "Only the first 5 errors are kept.") };
            bytes = entry.ToJson();
        }

        await Queue.SendBodyAsync(new BinaryData(bytes), cancellationToken: cancellationToken);
    }

    /// <summary>A whole message that cannot be handled (not JSON, the wrong type or shape, or failing on every delivery), with the reason.</summary>
    /// <param name="reason">Say what is wrong; never a stack trace or anything secret.</param>
    public async Task WriteMessageAsync(ReadOnlyMemory<byte> body, string messageId, long deliveryCount, string reason, CancellationToken cancellationToken)
    {
        var entry = new Entry(Shorten(reason), messageId, deliveryCount)
        {
            ProgramId = ProgramIdOf(body),
            Body = Encoding.UTF8.GetString(body.Span),
        };

        var bytes = entry.ToJson();
        if (bytes.Length > QueueBodies.MaxBodyBytes)
        {
            var container = storage.Account.GetContainer(storage.Names.ReceiptsContainer);
            var name = $"poison/{messageId}.txt";
            await container.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(body),
                new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "text/plain; charset=utf-8" } }, cancellationToken);
            entry = entry with { Body = null, Archive = $"{container.Name}/{name}",
                Note = "The message is too large to carry here; its body is in the archive." };
            bytes = entry.ToJson();
        }

        await Queue.SendBodyAsync(new BinaryData(bytes), cancellationToken: cancellationToken);
    }

    /// <summary>The program the message names, when it is JSON with a plausible <c>programId</c>, so an operator can route it.</summary>
    private static string? ProgramIdOf(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object &&
                   document.RootElement.TryGetProperty("programId", out var id) &&
                   id.ValueKind == JsonValueKind.String &&
                   id.GetString() is { Length: > 0 and <= 100 } programId
                ? programId
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Shorten(string text) => text.Length <= MaxReasonLength ? text : text[..MaxReasonLength] + "…";

    private static string Join(string? first, string second) => first is null ? second : $"{first} {second}";

    private sealed record Entry(string Reason, string MessageId, long DeliveryCount)
    {
        public string? ProgramId { get; init; }
        public string? ReceiptId { get; init; }
        public PosReceipt? Receipt { get; init; }
        public IReadOnlyList<ValidationError>? Errors { get; init; }
        public string? Archive { get; init; }
        public string? Body { get; init; }
        public string? Note { get; init; }

        public byte[] ToJson()
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var json = new Utf8JsonWriter(buffer, WriterOptions))
            {
                json.WriteStartObject();
                json.WriteString("type", MessageType);
                json.WriteString("reason", Reason);
                json.WriteString("messageId", MessageId);
                json.WriteNumber("deliveryCount", DeliveryCount);
                WriteIfSet(json, "programId", ProgramId);
                WriteIfSet(json, "receiptId", ReceiptId);
                if (Receipt is not null)
                {
                    json.WritePropertyName("receipt");
                    json.WriteRawValue(LoyaltyJson.Serialize(Receipt));
                }

                if (Errors is not null)
                {
                    json.WriteStartArray("errors");
                    foreach (var error in Errors)
                    {
                        json.WriteStartObject();
                        json.WriteString("code", error.Code);
                        json.WriteString("path", error.Path);
                        json.WriteString("message", error.Message);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                }

                WriteIfSet(json, "archive", Archive);
                WriteIfSet(json, "body", Body);
                WriteIfSet(json, "note", Note);
                json.WriteEndObject();
            }

            return buffer.WrittenSpan.ToArray();
        }

        private static void WriteIfSet(Utf8JsonWriter json, string name, string? value)
        {
            if (value is not null) json.WriteString(name, value);
        }
    }
}
