using Azure;

namespace Loyalty.Storage.Errors;

/// <summary>
/// What a failed storage request means to the stores and the hosts. The SDKs throw <see cref="RequestFailedException"/>
/// for every status; these name the few the stores act on, the same way for tables, queues and blobs.
/// </summary>
public static class StorageFailures
{
    /// <summary>
    /// How long an HTTP caller is asked to wait when storage stays unavailable after the SDKs' retries: about what those
    /// retries waited, so a client retrying at once does not add to a throttled account's load.
    /// </summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>404: the table, queue, container, entity, message or blob does not exist.</summary>
    public static bool IsNotFound(this RequestFailedException e) => e.Status == 404;

    /// <summary>409 other than a failed condition: EntityAlreadyExists, BlobAlreadyExists, TableAlreadyExists, …</summary>
    public static bool IsConflict(this RequestFailedException e) => e.Status == 409 && !IsConditionCode(e.ErrorCode);

    /// <summary>
    /// An If-Match or If-None-Match did not hold: 412, or the 409 Azurite answers a failed condition with
    /// (UpdateConditionNotSatisfied, ConditionNotMet).
    /// </summary>
    public static bool IsConditionFailed(this RequestFailedException e) => e.Status == 412 || (e.Status == 409 && IsConditionCode(e.ErrorCode));

    /// <summary>
    /// Storage did not answer usefully even after the SDKs' retries: throttled (429, 503), another 5xx or 408, or no
    /// response at all (a network failure or a timeout). A caller cannot fix this; retrying later may.
    /// </summary>
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        RequestFailedException e => e.Status is 0 or 408 or 429 or >= 500,
        // Several attempts that failed without a response come back together.
        AggregateException e => e.InnerExceptions.Count > 0 && e.InnerExceptions.All(IsUnavailable),
        // The pipeline's per-attempt timeout; a caller's own cancellation has no TimeoutException inside.
        OperationCanceledException { InnerException: TimeoutException } => true,
        _ => false,
    };

    /// <summary>
    /// One line for a log or a poison entry: the status and error code, never the SDK's multi-line message (which
    /// quotes the response body and headers).
    /// </summary>
    public static string Describe(Exception exception) => exception switch
    {
        RequestFailedException { Status: 0 } => "Storage did not answer (network failure).",
        RequestFailedException e => $"Storage request failed: {e.Status} {e.ErrorCode}".TrimEnd() + ".",
        AggregateException { InnerExceptions.Count: > 0 } e => Describe(e.InnerExceptions[^1]),
        OperationCanceledException { InnerException: TimeoutException } => "Storage did not answer in time.",
        _ => $"{exception.GetType().Name}: {FirstLine(exception.Message)}",
    };

    private static bool IsConditionCode(string? code) => code is "UpdateConditionNotSatisfied" or "ConditionNotMet";

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
