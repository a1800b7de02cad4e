using System.Collections.Concurrent;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using Loyalty.Storage.InMemory;

namespace Loyalty.Bench.Infra;

/// <summary>
/// Counts the storage requests a code path makes, by kind ("table point read", "table transaction", "blob write", …),
/// with the time each kind took (a stopwatch breakdown of the path), and the operations inside entity group
/// transactions. Added to the SDK clients' pipelines (<c>ClientOptions.AddPolicy</c>, per call), so it sees exactly what
/// Loyalty.Storage sends, once per operation however often the SDK retries it.
/// </summary>
public sealed class RequestCounter : HttpPipelinePolicy
{
    private readonly ConcurrentDictionary<string, long> counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, double> milliseconds = new(StringComparer.Ordinal);
    private long transactionOperations;
    private long transactionBytes;

    public IReadOnlyDictionary<string, long> Snapshot() => new SortedDictionary<string, long>(counts, StringComparer.Ordinal);

    /// <summary>Milliseconds spent waiting for each kind of request (send to response, retries included).</summary>
    public IReadOnlyDictionary<string, double> Times() => new SortedDictionary<string, double>(milliseconds, StringComparer.Ordinal);

    /// <summary>The table endpoint's port: on Azurite each service has its own, which tells their requests apart.</summary>
    public int TablePort { get; set; } = -1;

    /// <summary>The queue endpoint's port, to tell queue requests from blob requests (both speak XML over PUT/GET).</summary>
    public int QueuePort { get; set; } = -1;

    public long TransactionOperations => Interlocked.Read(ref transactionOperations);

    public long TransactionBytes => Interlocked.Read(ref transactionBytes);

    public void Reset()
    {
        counts.Clear();
        milliseconds.Clear();
        Interlocked.Exchange(ref transactionOperations, 0);
        Interlocked.Exchange(ref transactionBytes, 0);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var kind = Count(message);
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        ProcessNext(message, pipeline);
        Time(kind, start);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var kind = Count(message);
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        await ProcessNextAsync(message, pipeline);
        Time(kind, start);
    }

    private void Time(string kind, long start)
    {
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        milliseconds.AddOrUpdate(kind, elapsed, (_, sum) => sum + elapsed);
    }

    private string Count(HttpMessage message)
    {
        var kind = Classify(message.Request);
        counts.AddOrUpdate(kind, 1, (_, n) => n + 1);
        if (kind == StorageRequests.Kinds.TableTransaction && message.Request.Content is { } content)
        {
            using var buffer = new MemoryStream();
            content.WriteTo(buffer, default);
            var text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            var operations = 0;
            for (var at = text.IndexOf(" HTTP/1.1", StringComparison.Ordinal); at >= 0; at = text.IndexOf(" HTTP/1.1", at + 1,
                StringComparison.Ordinal)) operations++;
            Interlocked.Add(ref transactionOperations, operations);
            Interlocked.Add(ref transactionBytes, buffer.Length);
        }

        return kind;
    }

    private string Classify(Request request)
    {
        var path = request.Uri.Path;
        var method = request.Method.Method;
        var query = request.Uri.Query;
        if (path.EndsWith("/$batch", StringComparison.Ordinal)) return StorageRequests.Kinds.TableTransaction;
        if (request.Uri.Port == TablePort || request.Headers.TryGetValue("DataServiceVersion", out _))
        {
            return method switch
            {
                "GET" when path.EndsWith("()", StringComparison.Ordinal) => StorageRequests.Kinds.TableQuery,
                "GET" => StorageRequests.Kinds.TablePointRead,
                "POST" => StorageRequests.Kinds.TableInsert,
                // The SDK merges with PATCH (our own client sent MERGE).
                "PATCH" or "MERGE" or "PUT" => StorageRequests.Kinds.TableUpdate,
                "DELETE" => StorageRequests.Kinds.TableDelete,
                _ => $"table {method}",
            };
        }

        if (request.Uri.Port == QueuePort || path.Contains("/messages", StringComparison.Ordinal))
        {
            return method switch
            {
                "POST" => StorageRequests.Kinds.QueueSend,
                "GET" => StorageRequests.Kinds.QueueReceive,
                "DELETE" => StorageRequests.Kinds.QueueDelete,
                "PUT" when path.Contains("/messages/", StringComparison.Ordinal) => StorageRequests.Kinds.QueueUpdate,
                _ => $"queue other {method}",
            };
        }

        return method switch
        {
            "PUT" when !query.Contains("restype=", StringComparison.Ordinal) => StorageRequests.Kinds.BlobWrite,
            "GET" when !query.Contains("comp=", StringComparison.Ordinal) => StorageRequests.Kinds.BlobRead,
            _ => $"other {method}",
        };
    }
}
