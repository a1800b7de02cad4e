using Azure;
using Azure.Data.Tables;

namespace Loyalty.Storage.Tables;

/// <summary>
/// Entity group transactions with the service's rules checked before anything is sent. The SDK checks none of them:
/// Azurite committed a transaction spanning two partitions, which Azure refuses, and 101 actions made the SDK fail
/// reading the response ("Expected an HTTP status line") instead of refusing the request.
/// </summary>
public static class TableTransactions
{
    public const int MaxActions = 100;
    public const long MaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>Applies up to 100 actions on one partition atomically: all take effect or none.</summary>
    /// <exception cref="ArgumentException">No actions, more than 100, several partition keys, a row touched twice, a key
    /// Azure refuses or more than 4 MiB; nothing was sent.</exception>
    /// <exception cref="TableTransactionFailedException">An action failed (<c>FailedTransactionActionIndex</c> names it); none took effect.</exception>
    public static async Task<Response<IReadOnlyList<Response>>> SubmitCheckedAsync(this TableClient table, IReadOnlyList<TableTransactionAction> actions,
        CancellationToken cancellationToken = default)
    {
        Validate(actions);
        return await table.SubmitTransactionAsync(actions, cancellationToken);
    }

    public static void Validate(IReadOnlyList<TableTransactionAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (actions.Count is 0 or > MaxActions)
        {
            throw new ArgumentException($"A transaction holds 1 to {MaxActions} actions; got {actions.Count}.", nameof(actions));
        }

        var partitionKey = actions[0]?.Entity.PartitionKey;
        var rowKeys = new HashSet<string>(actions.Count, StringComparer.Ordinal);
        var bytes = 0L;
        for (var i = 0; i < actions.Count; i++)
        {
            var entity = (actions[i] ?? throw new ArgumentException($"Action {i} is null.", nameof(actions))).Entity;
            TableKeys.Validate(entity.PartitionKey, entity.RowKey);
            if (!string.Equals(entity.PartitionKey, partitionKey, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"All actions of a transaction must share one PartitionKey: action 0 has '{partitionKey}', action {i} has '{entity.PartitionKey}'.",
                    nameof(actions));
            }

            if (!rowKeys.Add(entity.RowKey))
            {
                throw new ArgumentException($"Action {i} touches row '{entity.RowKey}' again; a transaction may touch each entity once.", nameof(actions));
            }

            bytes += EntitySize.ActionBytes(actions[i]);
        }

        if (bytes > MaxBodyBytes)
        {
            throw new ArgumentException($"The transaction would be up to {bytes:N0} bytes; the service accepts at most 4 MiB.", nameof(actions));
        }
    }
}
