using Loyalty.Core.Events;

namespace Loyalty.Core.Application.Ports;

/// <summary>Notifications a member write recorded in its transaction, until they are delivered.</summary>
public interface IMemberOutbox
{
    /// <summary>Notifications written with their operation and not yet delivered, in one shard of a program.</summary>
    Task<IReadOnlyList<Notification>> ListOutboxAsync(string programId, int shards, int shard, CancellationToken cancellationToken);

    /// <summary>Removes a delivered notification (by its operation id) from the outbox; removing one that is gone already is fine.</summary>
    Task DeleteOutboxAsync(MemberKey key, string operationId, CancellationToken cancellationToken);

    /// <summary>Removes many delivered notifications, batched per partition; removing ones that are gone already is fine.</summary>
    Task DeleteOutboxManyAsync(IReadOnlyList<Notification> delivered, int shards, CancellationToken cancellationToken);
}
