using System.Collections.Concurrent;

namespace Loyalty.Storage.InMemory;

/// <summary>
/// The storage requests the in-memory stores would have sent to Azure, by kind, counted where the Table, Queue and Blob
/// stores send one: a point read, a page of a query, a transaction, a single-entity write, a queue message sent,
/// received or deleted, a blob written or read, a page of a blob listing. The benchmark names the requests it counts on
/// the wire against Azurite with the same <see cref="Kinds"/>, so the two counts compare.
/// </summary>
public sealed class StorageRequests
{
    private readonly ConcurrentDictionary<string, long> counts = new(StringComparer.Ordinal);
    private long transactionOperations;
    private long entitiesRead;

    public long TransactionOperations => Interlocked.Read(ref transactionOperations);

    /// <summary>Rows returned by point reads and query pages: what the service's entities-per-second targets count for reads.</summary>
    public long EntitiesRead => Interlocked.Read(ref entitiesRead);

    public IReadOnlyDictionary<string, long> Snapshot() => new SortedDictionary<string, long>(counts, StringComparer.Ordinal);

    public long Total => counts.Values.Sum();

    public void Reset()
    {
        counts.Clear();
        Interlocked.Exchange(ref transactionOperations, 0);
        Interlocked.Exchange(ref entitiesRead, 0);
    }

    internal void CountRead(int rows) => Interlocked.Add(ref entitiesRead, rows);

    internal void Count(string kind) => counts.AddOrUpdate(kind, 1, (_, n) => n + 1);

    internal void CountTransaction(int operations)
    {
        Count(Kinds.TableTransaction);
        Interlocked.Add(ref transactionOperations, operations);
    }

    public static class Kinds
    {
        public const string TablePointRead = "table point read";
        public const string TableQuery = "table query page";
        public const string TableTransaction = "table transaction";
        public const string TableInsert = "table insert";
        public const string TableUpdate = "table update/upsert";
        public const string TableDelete = "table delete";
        public const string QueueSend = "queue send";
        public const string QueueReceive = "queue receive";
        public const string QueueDelete = "queue delete";
        public const string QueueUpdate = "queue visibility update";
        public const string BlobWrite = "blob write";
        public const string BlobRead = "blob read";
        public const string BlobList = "blob list page";
    }
}
