using System.Globalization;
using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Serialization;

namespace Loyalty.Storage.InMemory;

/// <summary>The review index, in the members' partitions of <see cref="InMemoryMemberStore"/>, which moves it with each member.</summary>
public sealed class InMemoryReviewStore(InMemoryMemberStore members) : IReviewStore
{
    public Task<IReadOnlyList<FiledMember>> ListDueAsync(string programId, int shard, DateOnly date, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FiledMember>>(members.Due(programId, shard, date));

    public Task RemoveAsync(string programId, int shard, FiledMember entry, CancellationToken cancellationToken)
    {
        members.RemoveReview(programId, shard, entry);
        return Task.CompletedTask;
    }
}

/// <summary>
/// JobProgress as the Table store keeps it: a run's rows in one partition <c>{program}|{job}|{run}</c> (a row per shard,
/// "total" once complete, "attempts" for a Durable host), each written whole (upsert); what a run wrote is summed from
/// the tallies its member transactions left in the Members partitions.
/// </summary>
public sealed class InMemoryJobProgressStore(InMemoryTable table, InMemoryMemberStore members) : IJobProgressStore
{
    private const string TotalRow = "total";
    private const string AttemptsRow = "attempts";

    public Task<IReadOnlyList<ShardProgress>> ListShardsAsync(JobKey job, CancellationToken cancellationToken)
    {
        var shards = new List<ShardProgress>();
        string? from = null;
        do
        {
            var page = table.Query(Partition(job), new RowRange("", true, "~", false), InMemoryTable.MaxPageSize, from);
            shards.AddRange(page.Rows.Where(row => row.RowKey is not (TotalRow or AttemptsRow)).Select(ReadShard));
            from = page.Continuation;
        }
        while (from is not null);
        return Task.FromResult<IReadOnlyList<ShardProgress>>(shards);
    }

    public Task<ShardProgress?> GetShardAsync(JobKey job, int shard, CancellationToken cancellationToken) =>
        Task.FromResult(table.Get(Partition(job), Columns.Shard(shard)) is { } row ? ReadShard(row) : null);

    public Task SaveShardAsync(JobKey job, ShardProgress progress, CancellationToken cancellationToken)
    {
        table.Upsert(Partition(job), Columns.Shard(progress.Shard), Columns.Pack(
            progress.Finished ? "true" : "false", Columns.Time(progress.UpdatedAt), Counts(progress.Counts), progress.Cursor,
            progress.Seen is { } seen ? Counts(seen) : null));
        return Task.CompletedTask;
    }

    public Task<JobCounts> WrittenAsync(JobKey job, int shard, CancellationToken cancellationToken) => Task.FromResult(members.Written(job, shard));

    public Task<JobTotals?> GetTotalsAsync(JobKey job, CancellationToken cancellationToken) =>
        Task.FromResult(table.Get(Partition(job), TotalRow) is { } row ? Totals(row) : null);

    /// <summary>A range over partition keys, as the Table store's query is.</summary>
    public Task<IReadOnlyList<(JobKey Key, JobTotals? Totals)>> ListRunsAsync(
        string programId, string job, string runPrefix, CancellationToken cancellationToken)
    {
        var start = Partition(new JobKey(programId, job, runPrefix));
        var runs = new SortedDictionary<string, JobTotals?>(StringComparer.Ordinal);
        foreach (var row in table.Scan(p => string.CompareOrdinal(p, start) >= 0 && string.CompareOrdinal(p, start + "~") < 0, _ => true))
        {
            if (row.RowKey == TotalRow) runs[row.PartitionKey] = Totals(row);
            else runs.TryAdd(row.PartitionKey, null);
        }
        var prefix = $"{Columns.Escape(programId)}|{Columns.Escape(job)}|";
        return Task.FromResult<IReadOnlyList<(JobKey, JobTotals?)>>(
            [.. runs.Select(r => (new JobKey(programId, job, Columns.Unescape(r.Key[prefix.Length..])), r.Value))]);
    }

    public Task<JobAttempts?> GetAttemptsAsync(JobKey job, CancellationToken cancellationToken)
    {
        if (table.Get(Partition(job), AttemptsRow) is not { } row) return Task.FromResult<JobAttempts?>(null);
        var columns = Columns.Unpack(row.Value);
        return Task.FromResult<JobAttempts?>(new JobAttempts(
            int.Parse(columns[0]!, CultureInfo.InvariantCulture), Columns.ParseTime(columns[1]!), columns[2] == "true", columns[3]));
    }

    public Task SaveAttemptsAsync(JobKey job, JobAttempts attempts, CancellationToken cancellationToken)
    {
        table.Upsert(Partition(job), AttemptsRow, Columns.Pack(
            attempts.Count.ToString(CultureInfo.InvariantCulture), Columns.Time(attempts.LastStartedAt), attempts.GaveUp ? "true" : "false",
            attempts.LastFailure?.ReplaceLineEndings(" ")));
        return Task.CompletedTask;
    }

    public Task CompleteAsync(JobKey job, JobTotals totals, CancellationToken cancellationToken)
    {
        table.Upsert(Partition(job), TotalRow,
            Columns.Pack(Counts(totals.Counts), totals.Shards.ToString(CultureInfo.InvariantCulture), Columns.Time(totals.CompletedAt)));
        return Task.CompletedTask;
    }

    private static ShardProgress ReadShard(TableRow row)
    {
        var columns = Columns.Unpack(row.Value);
        return new ShardProgress(int.Parse(row.RowKey, NumberStyles.None, CultureInfo.InvariantCulture), columns[0] == "true", Counts(columns[2]!),
            Columns.ParseTime(columns[1]!), columns[3], columns[4] is { } seen ? Counts(seen) : null);
    }

    private static JobTotals Totals(TableRow row)
    {
        var columns = Columns.Unpack(row.Value);
        return new JobTotals(Counts(columns[0]!), int.Parse(columns[1]!, CultureInfo.InvariantCulture), Columns.ParseTime(columns[2]!));
    }

    private static string Counts(JobCounts counts) => LoyaltyJson.Serialize(new Dictionary<string, long>(counts.Values, StringComparer.Ordinal));

    private static JobCounts Counts(string json) => new(LoyaltyJson.Deserialize<Dictionary<string, long>>(json));

    private static string Partition(JobKey job) => $"{Columns.Escape(job.ProgramId)}|{Columns.Escape(job.Job)}|{Columns.Escape(job.Run)}";
}
