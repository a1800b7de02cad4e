using Loyalty.Storage.Tables;

namespace Loyalty.Storage.Errors;

/// <summary>
/// An entity group transaction was rejected: none of its operations took effect. <see cref="StorageException.Status"/>
/// and <see cref="StorageException.ErrorCode"/> are those of the failing operation (409 EntityAlreadyExists,
/// 412 UpdateConditionNotSatisfied, 404 ResourceNotFound, …).
/// </summary>
public sealed class TableTransactionFailedException(int status, string? errorCode, string message, string? requestId, int? failedActionIndex, TableTransactionAction? failedAction)
    : StorageException(status, errorCode, message, requestId)
{
    /// <summary>The zero-based index of the operation that failed, when the service named one.</summary>
    public int? FailedActionIndex { get; } = failedActionIndex;

    public TableTransactionAction? FailedAction { get; } = failedAction;
}
