namespace Loyalty.Storage.Errors;

/// <summary>
/// A storage request failed. <see cref="Exception.Message"/> carries the status, the service's error
/// code and message (never request headers, so never a signature or key).
/// </summary>
public class StorageException : Exception
{
    public StorageException(int status, string? errorCode, string message, string? requestId = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Status = status;
        ErrorCode = errorCode;
        RequestId = requestId;
    }

    /// <summary>The HTTP status, or 0 when no response arrived (network failure, timeout).</summary>
    public int Status { get; }

    /// <summary>The service's error code, e.g. <c>EntityAlreadyExists</c>, when it sent one.</summary>
    public string? ErrorCode { get; }

    /// <summary>The service's x-ms-request-id, for support cases.</summary>
    public string? RequestId { get; }
}

/// <summary>404: the table, queue, container, entity, message or blob does not exist.</summary>
public sealed class StorageNotFoundException(int status, string? errorCode, string message, string? requestId = null)
    : StorageException(status, errorCode, message, requestId);

/// <summary>409: e.g. EntityAlreadyExists, TableAlreadyExists, BlobAlreadyExists.</summary>
public sealed class StorageConflictException(int status, string? errorCode, string message, string? requestId = null)
    : StorageException(status, errorCode, message, requestId);

/// <summary>
/// An optimistic-concurrency condition (If-Match / If-None-Match) did not hold. Normally 412; mapped
/// here also when a service reports the same condition as 409 (UpdateConditionNotSatisfied, ConditionNotMet).
/// </summary>
public sealed class StoragePreconditionFailedException(int status, string? errorCode, string message, string? requestId = null)
    : StorageException(status, errorCode, message, requestId);

/// <summary>429, or 503 ServerBusy, still returned after the pipeline's retries: slow down.</summary>
public sealed class StorageThrottledException(int status, string? errorCode, string message, string? requestId = null)
    : StorageException(status, errorCode, message, requestId);

/// <summary>Another 5xx, a timeout or a network failure that outlasted the pipeline's retries.</summary>
public sealed class StorageTransientException(int status, string? errorCode, string message, string? requestId = null, Exception? innerException = null)
    : StorageException(status, errorCode, message, requestId, innerException);
