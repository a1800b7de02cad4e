namespace Loyalty.Storage.Queues;

/// <summary>A message seen by Peek: it stays visible and cannot be deleted with this view.</summary>
/// <param name="Body">The decoded body (messages are sent as base64 of these bytes).</param>
public record PeekedMessage(string MessageId, long DequeueCount, DateTimeOffset InsertedOn, DateTimeOffset ExpiresOn, BinaryData Body);

/// <summary>A received message, invisible to others until <paramref name="NextVisibleOn"/>; delete it with its pop receipt.</summary>
public sealed record QueueMessage(
    string MessageId,
    string PopReceipt,
    long DequeueCount,
    DateTimeOffset InsertedOn,
    DateTimeOffset ExpiresOn,
    DateTimeOffset NextVisibleOn,
    BinaryData Body)
    : PeekedMessage(MessageId, DequeueCount, InsertedOn, ExpiresOn, Body);

/// <summary>What the service returned for a sent message.</summary>
public sealed record SendReceipt(string MessageId, string PopReceipt, DateTimeOffset InsertedOn, DateTimeOffset ExpiresOn, DateTimeOffset NextVisibleOn);

/// <summary>The message's new pop receipt (the old one is void) and when it becomes visible again.</summary>
public sealed record VisibilityUpdate(string PopReceipt, DateTimeOffset NextVisibleOn);
