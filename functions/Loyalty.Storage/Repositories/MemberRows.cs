using Azure;
using Azure.Data.Tables;
using System.Globalization;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Events;
using Loyalty.Core.Ledger;
using Loyalty.Core.Members;
using Loyalty.Core.Serialization;
using Loyalty.Storage.Tables;

namespace Loyalty.Storage.Repositories;

/// <summary>
/// The rows of one member in its Members partition, each kind a contiguous RowKey range under its one-letter prefix
/// (the keys: docs/architecture.md, 'Storage layout (as built)'). A kind a job reads shard-wide is one range too: the
/// outbox, the review index (date before member id, so the members due by a date are one range) and a run's tallies.
/// Consent history and the erasure record are <see cref="PrivacyRows"/>.
/// </summary>
internal static class MemberRows
{
    public const string History = "h";
    public const string Ledger = "l";
    public const string Outbox = "o";
    public const string RawReceipt = "a";

    /// <summary>Bytes per binary property: the service's limit for one.</summary>
    private const int RawChunkBytes = 64 * 1024;

    /// <summary>Binary properties of a raw payload row, within the 1 MiB an entity holds (the receipts route takes 256 KiB).</summary>
    private const int MaxRawChunks = 15;

    /// <summary>The review index: <c>n|{yyyyMMdd}|{memberId}</c>, the date the nightly job next needs the member.</summary>
    public const string Review = "n";

    public static string Profile(string memberId) => $"p|{memberId}";

    /// <summary>A job run's tallies in a shard: the range from <see cref="TallyRangeStart"/> to just before <see cref="TallyRangeEnd"/>.</summary>
    public static string TallyRangeStart(JobKey job) => $"j|{KeyText.Escape(job.Job)}|{KeyText.Escape(job.Run)}|";

    public static string TallyRangeEnd(JobKey job) => $"j|{KeyText.Escape(job.Job)}|{KeyText.Escape(job.Run)}}}";

    /// <summary>
    /// One transaction's tally: a fresh key each time, inserted with the members it counts, so the row exists exactly
    /// when they were written and a second runner's transaction adds its own row, never replaces another's.
    /// </summary>
    public static IEnumerable<TableEntity> TallyRows(string partitionKey, IEnumerable<JobTally> tallies) =>
        tallies.GroupBy(t => t.Job).Select(job => new TableEntity(partitionKey, TallyRangeStart(job.Key) + Guid.NewGuid().ToString("N"))
        {
            ["Counts"] = LoyaltyJson.Serialize(new Dictionary<string, long>(JobCounts.Sum(job.Select(t => t.Counts)).Values, StringComparer.Ordinal)),
        });

    public static JobCounts ReadTally(TableEntity row) => new(LoyaltyJson.Deserialize<Dictionary<string, long>>(row.Required("Counts")));

    /// <summary>Just past every profile key ('}' follows '|'): a shard's profiles are the range ("p|", "p}").</summary>
    public const string ProfileRangeEnd = "p}";

    public static string Record(string memberId, string operationId) => $"r|{memberId}|{KeyText.Escape(operationId)}";

    /// <summary>The first RowKey of a member's rows of one kind; the range ends just before <see cref="RangeEnd"/>.</summary>
    public static string RangeStart(string kind, string memberId) => $"{kind}|{memberId}|";

    // '}' follows '|' in ASCII, so every key starting with RangeStart sorts below this one.
    public static string RangeEnd(string kind, string memberId) => $"{kind}|{memberId}}}";

    /// <summary>The member's entry in the review index of its partition; an empty row, the key says it all.</summary>
    public static string ReviewKey(DateOnly date, string memberId) => $"{Review}|{ReviewDate(date)}|{memberId}";

    /// <summary>The end (exclusive) of the index range of members due on or before <paramref name="date"/>; the range starts after "n|".</summary>
    public static string ReviewRangeEnd(DateOnly date) => $"{Review}|{ReviewDate(date)}}}";

    public static string ReviewRangeStart => $"{Review}|";

    /// <summary>The member id of an index row: after "n|yyyyMMdd|".</summary>
    public static string ReviewMemberId(string rowKey) => rowKey[(Review.Length + 10)..];

    /// <summary>The date of an index row: "yyyyMMdd" after "n|".</summary>
    public static DateOnly ReviewDateOf(string rowKey) => DateOnly.ParseExact(rowKey.AsSpan(Review.Length + 1, 8), "yyyyMMdd", CultureInfo.InvariantCulture);

    public static TableEntity ReviewRow(string partitionKey, DateOnly date, string memberId) => new(partitionKey, ReviewKey(date, memberId));

    private static string ReviewDate(DateOnly date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static TableEntity ProfileRow(string partitionKey, MemberWrite write)
    {
        var (profile, state, activity) = (write.Profile, write.State, write.Activity);
        var row = new TableEntity(partitionKey, Profile(profile.MemberId))
        {
            ["FirstName"] = profile.FirstName,
            ["LastName"] = profile.LastName,
            ["Email"] = profile.Email,
            ["Phone"] = profile.Phone,
            ["CardNumber"] = profile.CardNumber,
            ["ExternalId"] = profile.ExternalId,
            ["BirthDate"] = Date(profile.BirthDate),
            ["StoreId"] = profile.StoreId,
            ["HouseholdId"] = profile.HouseholdId,
            ["EnrolledAt"] = profile.EnrolledAt,
            ["ErasedAt"] = profile.ErasedAt,
            ["Consents"] = LoyaltyJson.Serialize(new Dictionary<ConsentChannel, Consent>(profile.Consents)),
            ["Interests"] = profile.Interests.Count == 0 ? null : string.Join(',', profile.Interests),

            // Flattened copies for campaign segments, which filter on columns without parsing the state.
            ["Tier"] = state.Tier,
            ["Balance"] = state.Balance,
            ["QualifyingPoints"] = state.QualifyingPoints,
            ["WindowEnd"] = Date(state.WindowEnd),
            ["EnrolledOn"] = Date(state.EnrolledOn),
            ["BirthMonth"] = state.Birthday?.Month,
            // The member's review index row is filed under this date; read back into the concurrency token (MemberTokens).
            ["NextReviewOn"] = Date(write.ReviewOn),
            ["LastPurchaseAt"] = activity.LastPurchaseAt,
            ["PurchaseCount"] = activity.PurchaseCount,
            ["Spend"] = (double)activity.Spend,
            ["PurchaseChannels"] = string.Join(',', activity.Channels),
            ["ContactChannels"] = string.Join(',', profile.Consents.Where(c => c.Value.Granted).Select(c => c.Key.ToString().ToLowerInvariant())
            .Order(StringComparer.Ordinal)),
        };
        JsonColumns.WriteBounded(row, "State", LoyaltyJson.Serialize(state));
        // Exact (decimal) counters; the flattened copies above are for filtering.
        row["Activity"] = LoyaltyJson.Serialize(activity);
        return row.WithoutNulls();
    }

    public static StoredMember ReadProfile(ProfileColumns row)
    {
        var profile = new MemberProfile
        {
            MemberId = row.RowKey[2..],
            FirstName = row.FirstName,
            LastName = row.LastName,
            Email = row.Email,
            Phone = row.Phone,
            CardNumber = Required(row, row.CardNumber, nameof(row.CardNumber)),
            ExternalId = row.ExternalId,
            BirthDate = row.BirthDate is { } birthDate ? DateOnly.ParseExact(birthDate, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
            StoreId = row.StoreId,
            HouseholdId = row.HouseholdId,
            EnrolledAt = row.EnrolledAt ?? default,
            ErasedAt = row.ErasedAt,
            Consents = LoyaltyJson.Deserialize<Dictionary<ConsentChannel, Consent>>(Required(row, row.Consents, nameof(row.Consents))),
            Interests = row.Interests is { Length: > 0 } tags ? tags.Split(',') : [],
        };
        var activity = row.Activity is { } json ? LoyaltyJson.Deserialize<MemberActivity>(json) : new MemberActivity();
        var filedOn = row.NextReviewOn is { } next ? DateOnly.ParseExact(next, "yyyy-MM-dd", CultureInfo.InvariantCulture) : (DateOnly?)null;
        return new StoredMember(profile, LoyaltyJson.Deserialize<MemberState>(Required(row, row.State, nameof(row.State))), activity,
            MemberTokens.Create(row.ETag, filedOn))
        {
            ReviewOn = filedOn,
        };
    }

    private static string Required(ProfileColumns row, string? value, string name) =>
        value ?? throw new InvalidOperationException($"Row {row.PartitionKey}/{row.RowKey} has no {name}.");

    public static TableEntity RecordRow(string partitionKey, string memberId, OperationRecord record, DateTimeOffset at)
    {
        var row = new TableEntity(partitionKey, Record(memberId, record.Id)) { ["At"] = at };
        JsonColumns.WriteChunked(row, "Record", LoyaltyJson.Serialize(record));
        return row;
    }

    public static OperationRecord ReadRecord(TableEntity row) => LoyaltyJson.Deserialize<OperationRecord>(JsonColumns.ReadChunked(row, "Record"));

    public static TableEntity HistoryRow(string partitionKey, string memberId, ReceiptSummary receipt, DateTimeOffset at) =>
        new(partitionKey, $"{RangeStart(History, memberId)}{KeyText.NewestFirst(at)}|{KeyText.Escape(receipt.ReceiptId)}")
        {
            ["Summary"] = LoyaltyJson.Serialize(receipt),
        };

    public static ReceiptSummary ReadHistory(TableEntity row) => LoyaltyJson.Deserialize<ReceiptSummary>(row.Required("Summary"));

    /// <summary>
    /// Ledger rows for one operation, at most <paramref name="maxRows"/> (the rest of a 100-action transaction): one entry
    /// per row normally; an operation with more entries than that packs several per row rather than split its transaction.
    /// Keys put the latest row of the operation first, so the whole range reads newest first.
    /// </summary>
    public static IEnumerable<TableEntity> LedgerRows(string partitionKey, string memberId, IReadOnlyList<LedgerEntry> entries, DateTimeOffset at, int maxRows)
    {
        if (entries.Count == 0) yield break;
        var perRow = (entries.Count + maxRows - 1) / maxRows;
        var rows = (entries.Count + perRow - 1) / perRow;
        var stem = $"{RangeStart(Ledger, memberId)}{KeyText.NewestFirst(at)}|";
        for (var i = 0; i < rows; i++)
        {
            var chunk = entries.Skip(i * perRow).Take(perRow).ToArray();
            var order = (rows - 1 - i).ToString("D2", CultureInfo.InvariantCulture);
            var row = new TableEntity(partitionKey, $"{stem}{order}|{KeyText.Escape(chunk[0].Id)}");
            JsonColumns.WriteBounded(row, "Entries", LoyaltyJson.Serialize(chunk));
            yield return row;
        }
    }

    public static TableEntity OutboxRow(string partitionKey, Notification notification)
    {
        var row = new TableEntity(partitionKey, $"{RangeStart(Outbox, notification.MemberId)}{KeyText.Escape(notification.OperationId)}");
        JsonColumns.WriteChunked(row, "Notification", LoyaltyJson.Serialize(notification));
        return row;
    }

    public static string RawReceiptKey(string memberId, string receiptId) => $"{RangeStart(RawReceipt, memberId)}{KeyText.Escape(receiptId)}";

    /// <summary>The payload's bytes as they came, over <c>Payload</c>, <c>Payload1</c>, … (a binary property holds 64 KiB).</summary>
    public static TableEntity RawReceiptRow(string partitionKey, string rowKey, ReadOnlyMemory<byte> payload)
    {
        var chunks = Math.Max(1, (payload.Length + RawChunkBytes - 1) / RawChunkBytes);
        if (chunks > MaxRawChunks)
            throw new ArgumentException($"A raw receipt of {payload.Length:N0} bytes is more than one entity holds.", nameof(payload));
        var row = new TableEntity(partitionKey, rowKey);
        for (var i = 0; i < chunks; i++)
            row[i == 0 ? "Payload" : $"Payload{i}"] = payload.Slice(i * RawChunkBytes, Math.Min(RawChunkBytes, payload.Length - i * RawChunkBytes)).ToArray();
        return row;
    }

    public static byte[] ReadRawReceipt(TableEntity row)
    {
        var chunks = new List<byte[]>();
        for (var i = 0; row.GetBinary(i == 0 ? "Payload" : $"Payload{i}") is { } chunk; i++) chunks.Add(chunk);
        return [.. chunks.SelectMany(c => c)];
    }

    public static string OutboxKey(string memberId, string operationId) => $"{RangeStart(Outbox, memberId)}{KeyText.Escape(operationId)}";

    public static Notification ReadOutbox(TableEntity row) => LoyaltyJson.Deserialize<Notification>(JsonColumns.ReadChunked(row, "Notification"));

    /// <summary>A ledger row's entries, newest first.</summary>
    public static IEnumerable<LedgerEntry> ReadLedger(TableEntity row) => LoyaltyJson.Deserialize<LedgerEntry[]>(row.Required("Entries")).Reverse();

    private static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
