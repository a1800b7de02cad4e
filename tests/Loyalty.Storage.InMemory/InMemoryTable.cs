using System.Globalization;
using System.Runtime.InteropServices;

namespace Loyalty.Storage.InMemory;

/// <summary>
/// One table as Table Storage keeps it: partitions of rows ordered by RowKey (ordinal), each row an opaque value with
/// an ETag that changes on every write; range queries in pages of at most 1,000 rows with a continuation token (the next
/// RowKey); entity group transactions of 1 to 100 actions on one partition that take effect whole or not at all, failing
/// with the status Azure would answer (404, 409, 412) and the index of the failing action. Every call counts as the
/// request it would be (<see cref="StorageRequests"/>). Row values live outside the collected heap
/// (<see cref="ValueArena"/>): the table stands in for a service whose rows are not in the job's heap, and the collector's
/// work over a million members' rows would otherwise be billed to the job being measured.
/// </summary>
public sealed class InMemoryTable(string name, StorageRequests requests)
{
    public const int MaxActions = 100;
    public const int MaxPageSize = 1000;

    /// <summary>An entity group transaction's body limit; actions are measured as key and value bytes.</summary>
    public const long MaxTransactionBytes = 4 * 1024 * 1024;

    private static long versions;
    private readonly Dictionary<string, Partition> partitions = new(StringComparer.Ordinal);
    private readonly ValueArena values = new();
    private long rows;
    private long bytes;

    public string Name { get; } = name;

    /// <summary>Rows and the bytes of their keys (UTF-16) and values: how much the table holds, kept as it is written.</summary>
    public (long Rows, long Bytes) Size() => (Interlocked.Read(ref rows), Interlocked.Read(ref bytes));

    /// <summary>A point read: the row, or null when there is none.</summary>
    public TableRow? Get(string partitionKey, string rowKey)
    {
        requests.Count(StorageRequests.Kinds.TablePointRead);
        var partition = Find(partitionKey);
        if (partition is null) return null;
        lock (partition)
        {
            if (partition.Find(rowKey) is not { } row) return null;
            requests.CountRead(1);
            return row.Snapshot(partitionKey, values);
        }
    }

    /// <summary>
    /// One page of a query over a RowKey range of one partition, in RowKey order: at most <paramref name="pageSize"/> rows
    /// (1,000 at most, as the service serves) starting at <paramref name="continuation"/> (a token of the previous page) or at
    /// the range's start. The token is null when the range has no rows after the page.
    /// </summary>
    public TablePage Query(string partitionKey, RowRange range, int pageSize = MaxPageSize, string? continuation = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        requests.Count(StorageRequests.Kinds.TableQuery);
        var partition = Find(partitionKey);
        if (partition is null) return new TablePage([], null);
        var take = Math.Min(pageSize, MaxPageSize);
        var rows = new List<TableRow>(Math.Min(take, 64));
        lock (partition)
        {
            var from = continuation is null ? range.From : continuation;
            var fromInclusive = continuation is not null || range.FromInclusive;
            foreach (var row in partition.Between(from, range.To))
            {
                var order = string.CompareOrdinal(row.Key, from);
                if (order < 0 || (order == 0 && !fromInclusive)) continue;
                if (!range.Below(row.Key)) break;
                if (rows.Count == take)
                {
                    requests.CountRead(rows.Count);
                    return new TablePage(rows, row.Key);
                }
                rows.Add(row.Snapshot(partitionKey, values));
            }
        }
        requests.CountRead(rows.Count);
        return new TablePage(rows, null);
    }

    /// <summary>
    /// Every row of the partitions whose key <paramref name="partitionFilter"/> accepts and whose row
    /// <paramref name="rowFilter"/> accepts, in key order: one query page per 1,000 rows examined.
    /// </summary>
    public IReadOnlyList<TableRow> Scan(Func<string, bool> partitionFilter, Func<string, bool> rowFilter)
    {
        var found = new List<TableRow>();
        long examined = 0;
        foreach (var partition in Partitions().Where(p => partitionFilter(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            lock (partition)
            {
                foreach (var row in partition.Rows)
                {
                    examined++;
                    if (rowFilter(row.Key)) found.Add(row.Snapshot(partition.Key, values));
                }
            }
        }
        for (var page = 0L; page < Math.Max(1, (examined + MaxPageSize - 1) / MaxPageSize); page++) requests.Count(StorageRequests.Kinds.TableQuery);
        requests.CountRead(found.Count);
        return found;
    }

    /// <summary>An entity group transaction: all actions take effect, or none does.</summary>
    /// <exception cref="ArgumentException">
    /// No actions, more than 100, several partitions, a row twice or more than 4 MiB: refused before anything is done, as
    /// the store refuses it before sending.
    /// </exception>
    /// <exception cref="TableActionFailedException">An action failed (its index and status); nothing changed.</exception>
    public void Submit(IReadOnlyList<TableAction> actions)
    {
        Validate(actions);
        requests.CountTransaction(actions.Count);
        Apply(actions[0].PartitionKey, actions);
    }

    /// <exception cref="TableActionFailedException">409: the row exists.</exception>
    public void Insert(string partitionKey, string rowKey, byte[] value) =>
        Single(StorageRequests.Kinds.TableInsert, new TableAction(TableActionKind.Add, partitionKey, rowKey, value));

    public void Upsert(string partitionKey, string rowKey, byte[] value) =>
        Single(StorageRequests.Kinds.TableUpdate, new TableAction(TableActionKind.UpsertReplace, partitionKey, rowKey, value));

    /// <exception cref="TableActionFailedException">404: no such row; 412: it is not at <paramref name="etag"/> any more.</exception>
    public void Replace(string partitionKey, string rowKey, byte[] value, string etag) =>
        Single(StorageRequests.Kinds.TableUpdate, new TableAction(TableActionKind.UpdateReplace, partitionKey, rowKey, value, etag));

    /// <summary>Deletes the row whatever its ETag; a row that is not there is fine, as the SDK's delete treats 404.</summary>
    public void Delete(string partitionKey, string rowKey)
    {
        try
        {
            Single(StorageRequests.Kinds.TableDelete, TableAction.Delete(partitionKey, rowKey));
        }
        catch (TableActionFailedException e) when (e.Status == 404)
        {
        }
    }

    private void Single(string kind, TableAction action)
    {
        Validate([action]);
        requests.Count(kind);
        Apply(action.PartitionKey, [action]);
    }

    private static void Validate(IReadOnlyList<TableAction> actions)
    {
        if (actions.Count is 0 or > MaxActions)
            throw new ArgumentException($"A transaction holds 1 to {MaxActions} actions; got {actions.Count}.", nameof(actions));
        var rowKeys = new HashSet<string>(StringComparer.Ordinal);
        var bytes = 0L;
        for (var i = 0; i < actions.Count; i++)
        {
            var action = actions[i];
            if (string.IsNullOrEmpty(action.PartitionKey) || string.IsNullOrEmpty(action.RowKey))
                throw new ArgumentException($"Action {i} has an empty key.", nameof(actions));
            if (!string.Equals(action.PartitionKey, actions[0].PartitionKey, StringComparison.Ordinal))
                throw new ArgumentException(
                    $"All actions of a transaction must share one PartitionKey: action 0 has '{actions[0].PartitionKey}', " +
                    $"action {i} has '{action.PartitionKey}'.",
                    nameof(actions));
            if (!rowKeys.Add(action.RowKey))
                throw new ArgumentException($"Action {i} touches row '{action.RowKey}' again; a transaction may touch each entity once.", nameof(actions));
            bytes += 2L * (action.PartitionKey.Length + action.RowKey.Length) + (action.Value?.Length ?? 0);
        }
        if (bytes > MaxTransactionBytes)
            throw new ArgumentException($"The transaction would be {bytes:N0} bytes; the service accepts at most 4 MiB.", nameof(actions));
    }

    /// <summary>Checks every action against the partition as it is, then applies them all, under the partition's lock.</summary>
    private void Apply(string partitionKey, IReadOnlyList<TableAction> actions)
    {
        var partition = FindOrAdd(partitionKey);
        lock (partition)
        {
            for (var i = 0; i < actions.Count; i++)
            {
                var action = actions[i];
                var row = partition.Find(action.RowKey);
                var status = action.Kind switch
                {
                    TableActionKind.Add when row is not null => 409,
                    TableActionKind.UpdateReplace or TableActionKind.Delete when row is null => 404,
                    TableActionKind.UpdateReplace or TableActionKind.Delete when action.ETag != TableAction.AnyETag && action.ETag != row!.ETag() => 412,
                    _ => 0,
                };
                if (status != 0) throw new TableActionFailedException(Name, status, i, action);
            }
            foreach (var action in actions)
            {
                var keyBytes = 2L * (partitionKey.Length + action.RowKey.Length);
                var row = partition.Find(action.RowKey);
                if (action.Kind == TableActionKind.Delete)
                {
                    Interlocked.Add(ref bytes, -keyBytes - row!.Length);
                    Interlocked.Decrement(ref rows);
                    partition.Rows.Remove(row);
                }
                else if (row is not null)
                {
                    Interlocked.Add(ref bytes, action.Value!.Length - row.Length);
                    row.Write(values.Store(action.Value), action.Value.Length);
                }
                else
                {
                    Interlocked.Add(ref bytes, keyBytes + action.Value!.Length);
                    Interlocked.Increment(ref rows);
                    partition.Rows.Add(new Row(action.RowKey, values.Store(action.Value), action.Value.Length));
                }
            }
        }
    }

    private Partition? Find(string partitionKey)
    {
        lock (partitions) return partitions.GetValueOrDefault(partitionKey);
    }

    private Partition FindOrAdd(string partitionKey)
    {
        lock (partitions)
        {
            if (!partitions.TryGetValue(partitionKey, out var partition)) partitions.Add(partitionKey, partition = new Partition(partitionKey));
            return partition;
        }
    }

    private List<Partition> Partitions()
    {
        lock (partitions) return [.. partitions.Values];
    }

    /// <summary>
    /// A partition's rows in one tree ordered by RowKey: a node per row and nothing else, where a hash table beside the
    /// tree would add a second object per row and arrays that, in a partition of a hundred thousand rows, are reallocated
    /// whole in the large-object heap as they grow.
    /// </summary>
    private sealed class Partition(string key)
    {
        private static readonly IComparer<Row> ByKey = Comparer<Row>.Create((a, b) => string.CompareOrdinal(a.Key, b.Key));

        public string Key { get; } = key;
        public SortedSet<Row> Rows { get; } = new(ByKey);

        public Row? Find(string rowKey) => Rows.TryGetValue(Row.Probe(rowKey), out var row) ? row : null;

        /// <summary>The rows from <paramref name="from"/> to <paramref name="to"/>, both inclusive, without walking the others.</summary>
        public IEnumerable<Row> Between(string from, string to) =>
            Rows.Count == 0 || string.CompareOrdinal(from, to) > 0 ? [] : Rows.GetViewBetween(Row.Probe(from), Row.Probe(to));
    }

    /// <summary>
    /// A stored row: its value's place in the arena and a version for its ETag, both plain numbers, so that rewriting a
    /// row gives the collector no new reference from an old object to a young one to trace. Written under its
    /// partition's lock, read as a <see cref="TableRow"/> snapshot.
    /// </summary>
    private sealed class Row(string key, long value, int length, long version)
    {
        private long version = version;

        public Row(string key, long value, int length)
            : this(key, value, length, Interlocked.Increment(ref versions))
        {
        }

        public string Key { get; } = key;
        public long Value { get; private set; } = value;
        public int Length { get; private set; } = length;

        /// <summary>A key to look a row up by: never stored.</summary>
        public static Row Probe(string key) => new(key, 0, 0, 0);

        public string ETag() => $"W/\"{version.ToString(CultureInfo.InvariantCulture)}\"";

        public void Write(long value, int length)
        {
            (Value, Length) = (value, length);
            version = Interlocked.Increment(ref versions);
        }

        public TableRow Snapshot(string partitionKey, ValueArena arena) => new(partitionKey, Key, arena.Read(Value, Length), ETag());
    }

    /// <summary>
    /// Row values in native memory, appended to chunks that are freed with the table. A replaced value's bytes stay until
    /// then: a table lives for one test or one benchmark run, in which each row is rewritten a few times at most.
    /// </summary>
    private sealed class ValueArena
    {
        private const int ChunkBytes = 16 * 1024 * 1024;
        private readonly Lock gate = new();
        private readonly List<nint> chunks = [];
        private int used;

        /// <summary>Where the value now lives: its chunk in the high half, its offset in the low half.</summary>
        public long Store(byte[] value)
        {
            lock (gate)
            {
                if (chunks.Count == 0 || used + value.Length > ChunkBytes)
                {
                    chunks.Add(Marshal.AllocHGlobal(Math.Max(ChunkBytes, value.Length)));
                    used = 0;
                }
                var place = ((long)(chunks.Count - 1) << 32) | (uint)used;
                Marshal.Copy(value, 0, chunks[^1] + used, value.Length);
                used += value.Length;
                return place;
            }
        }

        public byte[] Read(long place, int length)
        {
            var value = new byte[length];
            nint chunk;
            lock (gate) chunk = chunks[(int)(place >> 32)];
            Marshal.Copy(chunk + (int)(uint)place, value, 0, length);
            return value;
        }

        ~ValueArena()
        {
            foreach (var chunk in chunks) Marshal.FreeHGlobal(chunk);
        }
    }
}

/// <summary>A row as read: its keys, its value (never changed after it is written) and its ETag.</summary>
public sealed record TableRow(string PartitionKey, string RowKey, byte[] Value, string ETag);

public sealed record TablePage(IReadOnlyList<TableRow> Rows, string? Continuation);

/// <summary>A RowKey range: from <see cref="From"/> (inclusive or not) to <see cref="To"/> (inclusive or not).</summary>
public sealed record RowRange(string From, bool FromInclusive, string To, bool ToInclusive)
{
    /// <summary>Rows whose keys lie strictly between the two.</summary>
    public static RowRange Between(string after, string before) => new(after, false, before, false);

    public bool Below(string key)
    {
        var order = string.CompareOrdinal(key, To);
        return order < 0 || (order == 0 && ToInclusive);
    }
}

public enum TableActionKind
{
    /// <summary>Insert: 409 when the row exists.</summary>
    Add,

    /// <summary>Insert or replace, whatever is there.</summary>
    UpsertReplace,

    /// <summary>Replace if at the ETag (or any with "*"): 404 when missing, 412 when changed.</summary>
    UpdateReplace,

    /// <summary>Delete if at the ETag (or any with "*"): 404 when missing, 412 when changed.</summary>
    Delete,
}

public sealed record TableAction(TableActionKind Kind, string PartitionKey, string RowKey, byte[]? Value, string ETag = TableAction.AnyETag)
{
    public const string AnyETag = "*";

    public static TableAction Delete(string partitionKey, string rowKey, string etag = AnyETag) =>
        new(TableActionKind.Delete, partitionKey, rowKey, null, etag);
}

/// <summary>What Table Storage answers when an action of a transaction (or a single write) fails: nothing took effect.</summary>
public sealed class TableActionFailedException(string table, int status, int index, TableAction action)
    : Exception($"Table {table}: action {index} ({action.Kind} {action.PartitionKey}/{action.RowKey}) failed with {status}; the transaction took no effect.")
{
    public int Status { get; } = status;
    public int FailedIndex { get; } = index;
}
