using Loyalty.Core.Application;
using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Events;
using Loyalty.Core.Ledger;
using Loyalty.Core.Members;
using Loyalty.Core.Serialization;

namespace Loyalty.Storage.InMemory;

/// <summary>
/// The Members table in memory, with the Table store's layout and rules: a member's rows in its shard's partition
/// (<c>p|</c> profile, <c>r|</c> operation records, <c>h|</c> history, <c>a|</c> a raw receipt committed with it,
/// <c>l|</c> ledger, <c>o|</c> outbox, <c>c|</c> consent changes, <c>n|{date}|</c> the review index, <c>j|{job}|{run}|</c>
/// job tallies), and every write one transaction in that
/// partition: the operation record an insert (409: applied before), the profile replaced under its ETag (412: changed,
/// 404: gone), the review entry moved with it, a job's tally beside the members it counts. Batches pack a partition's
/// members into transactions of up to 100 actions and resend without a member whose action failed.
/// </summary>
public sealed class InMemoryMemberStore(InMemoryTable table) : IMemberStore, IMemberHistory, IMemberOutbox
{
    /// <summary>Room kept in every transaction for a batch job's tally row.</summary>
    private const int TallyActions = 1;

    private const long MaxBatchBytes = 3L * 1024 * 1024;

    /// <summary>Fewer members of one partition than this are point reads without trying a range.</summary>
    private const int MinRangeKeys = 16;

    /// <summary>A range read goes on while at least this share of its rows are wanted.</summary>
    private const double MinRangeDensity = 0.25;

    /// <summary>Ledger entries per row when a batch packs a member's entries.</summary>
    private const int PackedLedgerEntries = 32;

    private const string ProfileRangeEnd = "p}";

    public Task<StoredMember?> GetAsync(MemberKey key, CancellationToken cancellationToken) =>
        Task.FromResult(table.Get(Partition(key), Profile(key.MemberId)) is { } row ? ReadProfile(row) : null);

    public Task InsertAsync(MemberKey key, MemberWrite write, CancellationToken cancellationToken)
    {
        try
        {
            table.Submit(Actions(key, write, null));
        }
        catch (TableActionFailedException e) when (e.Status == 409)
        {
            throw new InvalidOperationException(
                $"Member '{key.MemberId}' of program '{key.ProgramId}' exists already; member ids are random, so this is a bug.", e);
        }
        return Task.CompletedTask;
    }

    public Task<CommitResult> CommitAsync(MemberKey key, MemberWrite write, string concurrencyToken, CancellationToken cancellationToken)
    {
        try
        {
            table.Submit([.. Actions(key, write, concurrencyToken), .. Tallies(Partition(key), [write])]);
            return Task.FromResult(CommitResult.Committed);
        }
        catch (TableActionFailedException e) when (e.Status == 409 && write.Operation is not null)
        {
            return Task.FromResult(CommitResult.AlreadyApplied);
        }
        catch (TableActionFailedException e) when (e.Status is 404 or 412)
        {
            return Task.FromResult(CommitResult.Conflict);
        }
    }

    /// <summary>As the Table store reads them: a dense partition's members as one range (a probe page first), sparse ones point by point.</summary>
    public Task<IReadOnlyList<StoredMember>> GetManyAsync(IReadOnlyList<MemberKey> keys, CancellationToken cancellationToken)
    {
        var found = new Dictionary<MemberKey, StoredMember>();
        var pointReads = new List<MemberKey>();
        foreach (var partition in keys.Distinct().GroupBy(Partition, StringComparer.Ordinal))
        {
            var wanted = partition.ToDictionary(k => k.MemberId, StringComparer.Ordinal);
            if (wanted.Count < MinRangeKeys)
            {
                pointReads.AddRange(wanted.Values);
                continue;
            }
            var ids = wanted.Keys.Order(StringComparer.Ordinal).ToList();
            var range = new RowRange(Profile(ids[0]), true, Profile(ids[^1]), true);
            var (rows, hits) = (0, 0);
            string? last = null;
            var (pageSize, from) = (Math.Min(InMemoryTable.MaxPageSize, (int)(ids.Count / MinRangeDensity)), (string?)null);
            do
            {
                var page = table.Query(partition.Key, range, pageSize, from);
                foreach (var row in page.Rows)
                {
                    rows++;
                    last = row.RowKey;
                    if (!wanted.TryGetValue(row.RowKey[2..], out var key)) continue;
                    found[key] = ReadProfile(row);
                    hits++;
                }
                (pageSize, from) = (InMemoryTable.MaxPageSize, page.Continuation);
            }
            while (from is not null && hits >= rows * MinRangeDensity);
            pointReads.AddRange(ids.Where(id => last is null || string.CompareOrdinal(Profile(id), last) > 0).Select(id => wanted[id]));
        }
        foreach (var key in pointReads)
            if (table.Get(Partition(key), Profile(key.MemberId)) is { } row) found[key] = ReadProfile(row);
        return Task.FromResult<IReadOnlyList<StoredMember>>([.. keys.Distinct().Where(found.ContainsKey).Select(k => found[k])]);
    }

    public Task<CursorPage<StoredMember>> ListShardAsync(string programId, int shard, int pageSize, string? after, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var page = table.Query(InMemoryStorage.MemberPartition(programId, shard), RowRange.Between(Profile(after ?? ""), ProfileRangeEnd), pageSize);
        var members = page.Rows.Select(ReadProfile).ToList();
        return Task.FromResult(new CursorPage<StoredMember>(members, page.Continuation is null || members.Count == 0 ? null : members[^1].Profile.MemberId));
    }

    public Task<IReadOnlyList<CommitResult>> CommitManyAsync(IReadOnlyList<MemberBatchWrite> writes, CancellationToken cancellationToken)
    {
        var results = new CommitResult[writes.Count];
        var batches = new List<List<(int Write, List<TableAction> Actions)>>();
        foreach (var partition in Enumerable.Range(0, writes.Count).GroupBy(i => Partition(writes[i].Key), StringComparer.Ordinal))
        {
            List<(int, List<TableAction>)>? batch = null;
            var (count, size) = (0, 0L);
            foreach (var i in partition)
            {
                var actions = Actions(writes[i].Key, writes[i].Write, writes[i].ConcurrencyToken, packLedger: true);
                var bytes = actions.Sum(a => 2L * (a.PartitionKey.Length + a.RowKey.Length) + (a.Value?.Length ?? 0));
                if (batch is null || count + actions.Count > InMemoryTable.MaxActions - TallyActions || size + bytes > MaxBatchBytes)
                {
                    batches.Add(batch = []);
                    (count, size) = (0, 0L);
                }
                batch.Add((i, actions));
                count += actions.Count;
                size += bytes;
            }
        }
        foreach (var batch in batches)
        {
            while (batch.Count > 0)
            {
                try
                {
                    var tallies = Tallies(Partition(writes[batch[0].Write].Key), batch.Select(m => writes[m.Write].Write));
                    table.Submit([.. batch.SelectMany(m => m.Actions), .. tallies]);
                    foreach (var (i, _) in batch) results[i] = CommitResult.Committed;
                    break;
                }
                catch (TableActionFailedException e)
                {
                    var member = OwnerOf(batch, e.FailedIndex);
                    results[batch[member].Write] = e.Status == 409 ? CommitResult.AlreadyApplied : CommitResult.Conflict;
                    batch.RemoveAt(member);
                }
            }
        }
        return Task.FromResult<IReadOnlyList<CommitResult>>(results);
    }

    public Task<OperationRecord?> GetOperationAsync(MemberKey key, string operationId, CancellationToken cancellationToken) =>
        Task.FromResult(table.Get(Partition(key), Record(key.MemberId, operationId)) is { } row
            ? LoyaltyJson.Deserialize<OperationRecord>(Columns.Unpack(row.Value)[0]!)
            : null);

    public Task<CursorPage<ReceiptSummary>> ListReceiptsAsync(MemberKey key, int pageSize, string? after, CancellationToken cancellationToken) =>
        Task.FromResult(List<ReceiptSummary>(key, "h", pageSize, after, row => [LoyaltyJson.Deserialize<ReceiptSummary>(Columns.Unpack(row.Value)[0]!)]));

    public Task<CursorPage<LedgerEntry>> ListLedgerAsync(MemberKey key, int pageSize, string? after, CancellationToken cancellationToken) =>
        Task.FromResult(List(key, "l", pageSize, after, row => LoyaltyJson.Deserialize<LedgerEntry[]>(Columns.Unpack(row.Value)[0]!).Reverse()));

    public Task<IReadOnlyList<Notification>> ListOutboxAsync(string programId, int shards, int shard, CancellationToken cancellationToken)
    {
        var partition = InMemoryStorage.MemberPartition(programId, shard);
        var found = new List<Notification>();
        string? from = null;
        do
        {
            var page = table.Query(partition, RowRange.Between("o|", "o}"), InMemoryTable.MaxPageSize, from);
            found.AddRange(page.Rows.Select(row => LoyaltyJson.Deserialize<Notification>(Columns.Unpack(row.Value)[0]!)));
            from = page.Continuation;
        }
        while (from is not null);
        return Task.FromResult<IReadOnlyList<Notification>>(found);
    }

    public Task DeleteOutboxAsync(MemberKey key, string operationId, CancellationToken cancellationToken)
    {
        table.Delete(Partition(key), OutboxKey(key.MemberId, operationId));
        return Task.CompletedTask;
    }

    public Task DeleteOutboxManyAsync(IReadOnlyList<Notification> delivered, int shards, CancellationToken cancellationToken)
    {
        foreach (var partition in delivered.GroupBy(n => InMemoryStorage.MemberPartition(n.ProgramId, shards, n.MemberId), StringComparer.Ordinal))
        {
            foreach (var chunk in partition.DistinctBy(n => (n.MemberId, n.OperationId)).Chunk(InMemoryTable.MaxActions))
            {
                var actions = chunk.Select(n => TableAction.Delete(partition.Key, OutboxKey(n.MemberId, n.OperationId))).ToList();
                while (actions.Count > 0)
                {
                    try
                    {
                        table.Submit(actions);
                        break;
                    }
                    catch (TableActionFailedException e) when (e.Status == 404)
                    {
                        actions.RemoveAt(e.FailedIndex);
                    }
                }
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>A job run's tallies in one shard: what its member transactions counted.</summary>
    internal JobCounts Written(JobKey job, int shard)
    {
        var partition = InMemoryStorage.MemberPartition(job.ProgramId, shard);
        var start = TallyRangeStart(job);
        var written = JobCounts.Zero;
        string? from = null;
        do
        {
            var page = table.Query(partition, new RowRange(start, true, start[..^1] + "}", false), InMemoryTable.MaxPageSize, from);
            foreach (var row in page.Rows) written += new JobCounts(LoyaltyJson.Deserialize<Dictionary<string, long>>(Columns.Unpack(row.Value)[0]!));
            from = page.Continuation;
        }
        while (from is not null);
        return written;
    }

    /// <summary>One shard's review index up to and including <paramref name="date"/>, every page.</summary>
    internal List<FiledMember> Due(string programId, int shard, DateOnly date)
    {
        var due = new List<FiledMember>();
        string? from = null;
        do
        {
            var page = table.Query(
                InMemoryStorage.MemberPartition(programId, shard), RowRange.Between("n|", $"n|{Columns.Date(date)}}}"), InMemoryTable.MaxPageSize, from);
            due.AddRange(page.Rows.Select(row => new FiledMember(row.RowKey[11..], Columns.ParseDate(row.RowKey[2..10]))));
            from = page.Continuation;
        }
        while (from is not null);
        return due;
    }

    internal void RemoveReview(string programId, int shard, FiledMember entry) =>
        table.Delete(InMemoryStorage.MemberPartition(programId, shard), ReviewKey(entry.ReviewOn, entry.MemberId));

    private CursorPage<T> List<T>(MemberKey key, string kind, int pageSize, string? after, Func<TableRow, IEnumerable<T>> read)
    {
        var start = $"{kind}|{key.MemberId}|";
        var page = table.Query(Partition(key), RowRange.Between(start + after, $"{kind}|{key.MemberId}}}"), pageSize + 1);
        var rows = page.Rows.Take(pageSize).ToList();
        return new CursorPage<T>([.. rows.SelectMany(read)], page.Rows.Count > pageSize ? rows[^1].RowKey[start.Length..] : null);
    }

    private static List<TableAction> Actions(MemberKey key, MemberWrite write, string? concurrencyToken, bool packLedger = false)
    {
        var partition = Partition(key);
        var actions = new List<TableAction>(8);
        var (etag, filedOn) = concurrencyToken is null ? (null, null) : ParseToken(concurrencyToken);
        if (filedOn != write.ReviewOn)
        {
            if (filedOn is { } old) actions.Add(TableAction.Delete(partition, ReviewKey(old, key.MemberId)));
            if (write.ReviewOn is { } next) actions.Add(new TableAction(TableActionKind.UpsertReplace, partition, ReviewKey(next, key.MemberId), []));
        }
        if (write.Operation is { } operation)
            actions.Add(new TableAction(TableActionKind.Add, partition, Record(key.MemberId, operation.Id), RecordValue(operation, write.At)));
        if (write.Receipt is { } receipt)
        {
            actions.Add(new TableAction(TableActionKind.Add, partition, $"h|{key.MemberId}|{Columns.NewestFirst(write.At)}|{Columns.Escape(receipt.ReceiptId)}",
                Columns.Pack(LoyaltyJson.Serialize(receipt))));
            if (write.RawReceipt is { } raw)
                actions.Add(new TableAction(TableActionKind.Add, partition, $"a|{key.MemberId}|{Columns.Escape(receipt.ReceiptId)}", raw.ToArray()));
        }
        foreach (var updated in write.UpdatedRecords ?? [])
            actions.Add(new TableAction(TableActionKind.UpsertReplace, partition, Record(key.MemberId, updated.Id), RecordValue(updated, write.At)));
        if (write.Outbox is { } outbox)
            actions.Add(new TableAction(
                TableActionKind.Add, partition, OutboxKey(key.MemberId, outbox.OperationId), Columns.Pack(LoyaltyJson.Serialize(outbox))));
        foreach (var change in write.ConsentChanges ?? [])
            actions.Add(new TableAction(
                TableActionKind.UpsertReplace, partition, $"c|{key.MemberId}|{change.At.UtcTicks:D19}|{change.Channel}|{Guid.NewGuid():N}",
                Columns.Pack(change.Channel.ToString(), change.Granted ? "true" : "false", Columns.Time(change.At), change.Source)));
        var ledgerRows = InMemoryTable.MaxActions - actions.Count - 1 - (write.Tally is null ? 0 : TallyActions);
        if (packLedger) ledgerRows = Math.Min(ledgerRows, Math.Max(1, ((write.Ledger?.Count ?? 0) + PackedLedgerEntries - 1) / PackedLedgerEntries));
        actions.AddRange(LedgerActions(partition, key.MemberId, write.Ledger ?? [], write.At, ledgerRows));
        var p = write.Profile;
        var profile = Columns.Pack(
            LoyaltyJson.Serialize(write.State), LoyaltyJson.Serialize(write.Activity), write.ReviewOn is { } on ? Columns.Date(on) : null,
            p.FirstName, p.LastName, p.Email, p.Phone, p.CardNumber, p.ExternalId, p.BirthDate is { } birth ? Columns.Date(birth) : null,
            p.StoreId, p.HouseholdId,
            Columns.Time(p.EnrolledAt), p.ErasedAt is { } erased ? Columns.Time(erased) : null,
            LoyaltyJson.Serialize(new Dictionary<ConsentChannel, Consent>(p.Consents)), p.Interests.Count == 0 ? null : string.Join(',', p.Interests));
        actions.Add(etag is null
            ? new TableAction(TableActionKind.Add, partition, Profile(key.MemberId), profile)
            : new TableAction(TableActionKind.UpdateReplace, partition, Profile(key.MemberId), profile, etag));
        return actions;
    }

    /// <summary>One entry per row normally; an operation with more entries than the transaction has room for packs several per row.</summary>
    private static IEnumerable<TableAction> LedgerActions(string partition, string memberId, IReadOnlyList<LedgerEntry> entries, DateTimeOffset at, int maxRows)
    {
        if (entries.Count == 0) yield break;
        var perRow = (entries.Count + maxRows - 1) / maxRows;
        var rows = (entries.Count + perRow - 1) / perRow;
        var stem = $"l|{memberId}|{Columns.NewestFirst(at)}|";
        for (var i = 0; i < rows; i++)
        {
            var chunk = entries.Skip(i * perRow).Take(perRow).ToArray();
            yield return new TableAction(
                TableActionKind.Add, partition, $"{stem}{rows - 1 - i:D2}|{Columns.Escape(chunk[0].Id)}", Columns.Pack(LoyaltyJson.Serialize(chunk)));
        }
    }

    private static IEnumerable<TableAction> Tallies(string partition, IEnumerable<MemberWrite> writes) =>
        writes.Select(w => w.Tally).OfType<JobTally>().GroupBy(t => t.Job).Select(job => new TableAction(
            TableActionKind.Add, partition, TallyRangeStart(job.Key) + Guid.NewGuid().ToString("N"),
            Columns.Pack(LoyaltyJson.Serialize(new Dictionary<string, long>(JobCounts.Sum(job.Select(t => t.Counts)).Values, StringComparer.Ordinal)))));

    private static int OwnerOf(List<(int Write, List<TableAction> Actions)> batch, int action)
    {
        for (var member = 0; member < batch.Count; member++)
        {
            if (action < batch[member].Actions.Count) return member;
            action -= batch[member].Actions.Count;
        }
        throw new InvalidOperationException("A failed action beyond the transaction's members: the tally row cannot fail.");
    }

    private static StoredMember ReadProfile(TableRow row)
    {
        var c = Columns.Unpack(row.Value);
        var filedOn = c[2] is { } on ? Columns.ParseDate(on) : (DateOnly?)null;
        var profile = new MemberProfile
        {
            MemberId = row.RowKey[2..],
            FirstName = c[3],
            LastName = c[4],
            Email = c[5],
            Phone = c[6],
            CardNumber = c[7] ?? throw new InvalidOperationException($"Row {row.PartitionKey}/{row.RowKey} has no card number."),
            ExternalId = c[8],
            BirthDate = c[9] is { } birth ? Columns.ParseDate(birth) : null,
            StoreId = c[10],
            HouseholdId = c[11],
            EnrolledAt = Columns.ParseTime(c[12]!),
            ErasedAt = c[13] is { } erased ? Columns.ParseTime(erased) : null,
            Consents = LoyaltyJson.Deserialize<Dictionary<ConsentChannel, Consent>>(c[14]!),
            Interests = c[15] is { } tags ? tags.Split(',') : [],
        };
        return new StoredMember(profile, LoyaltyJson.Deserialize<MemberState>(c[0]!), LoyaltyJson.Deserialize<MemberActivity>(c[1]!),
            $"{(filedOn is { } date ? Columns.Date(date) : "")}|{row.ETag}")
        {
            ReviewOn = filedOn,
        };
    }

    /// <summary>The token names the profile's ETag and the date its review entry is filed under, both of one version.</summary>
    private static (string ETag, DateOnly? FiledOn) ParseToken(string token)
    {
        var bar = token.IndexOf('|', StringComparison.Ordinal);
        if (bar is not (0 or 8))
            throw new ArgumentException("Not a concurrency token of this store: pass back the ConcurrencyToken read with the member.", nameof(token));
        return (token[(bar + 1)..], bar == 0 ? null : Columns.ParseDate(token[..8]));
    }

    private static byte[] RecordValue(OperationRecord record, DateTimeOffset at) => Columns.Pack(LoyaltyJson.Serialize(record), Columns.Time(at));

    private static string Partition(MemberKey key) => InMemoryStorage.MemberPartition(key.ProgramId, key.Shards, key.MemberId);

    private static string Profile(string memberId) => $"p|{memberId}";

    private static string Record(string memberId, string operationId) => $"r|{memberId}|{Columns.Escape(operationId)}";

    private static string OutboxKey(string memberId, string operationId) => $"o|{memberId}|{Columns.Escape(operationId)}";

    private static string ReviewKey(DateOnly date, string memberId) => $"n|{Columns.Date(date)}|{memberId}";

    private static string TallyRangeStart(JobKey job) => $"j|{Columns.Escape(job.Job)}|{Columns.Escape(job.Run)}|";
}
