using Loyalty.Core.Events;
using Loyalty.Core.Serialization;
using Azure.Storage.Queues;
using Loyalty.Storage.Queues;

namespace Loyalty.Testing;

/// <summary>What the HTTP tests of both hosts send and read back: a receipt body, the one-time codes members are sent.</summary>
public static class Samples
{
    /// <summary>A web-shop receipt (a sale, or with <paramref name="returnOf"/> the return of one) in the loyalty.receipt.v1 shape.</summary>
    public static object Receipt(string id, object? member, decimal amount = 1_234.50m, string? returnOf = null) => new
    {
        id,
        storeId = "web",
        channel = "online",
        purchasedAt = DateTimeOffset.UtcNow.AddMinutes(-10),
        member,
        currency = "SEK",
        total = returnOf is null ? amount : -amount,
        lines = new[]
        {
            new
            {
                sku = "food-1", category = "pet-food", quantity = returnOf is null ? 2 : -2, unitPrice = amount / 2,
                amount = returnOf is null ? amount : -amount
            }
        },
        returnOf,
    };

    /// <summary>Every code on the notifications queue, taken off it as the sender would (with everything else on it).</summary>
    public static async Task<IReadOnlyList<MemberCodeIssued>> TakeCodesAsync(QueueClient notifications)
    {
        var codes = new List<MemberCodeIssued>();
        while ((await notifications.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30))).Value is { Length: > 0 } messages)
        {
            foreach (var message in messages)
            {
                codes.AddRange(LoyaltyJson.Deserialize<NotificationBatch>(message.DecodedBody().ToString()).Notifications.SelectMany(n => n.Events)
                    .OfType<MemberCodeIssued>());
                await notifications.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }
        return codes;
    }
}
