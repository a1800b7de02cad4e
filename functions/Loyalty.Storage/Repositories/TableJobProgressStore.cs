using Azure.Data.Tables;
using System.Globalization;
using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Serialization;
using Loyalty.Storage.Tables;

namespace Loyalty.Storage.Repositories;

/// <summary>
/// JobProgress table (the keys and columns: docs/architecture.md, 'Storage layout (as built)'). A run's rows are one
/// partition, so listing them is one query. What a run wrote is counted from the tallies its member transactions left
/// in the Members table (<see cref="MemberRows.TallyRows"/>), one range per shard partition, not from the progress rows,
/// which a crash or a second runner can leave short.
/// </summary>
internal sealed class TableJobProgressStore(TableClient table, TableClient members) : IJobProgressStore
{
    private const string TotalRow = "total";
    private const string AttemptsRow = "attempts";

    public async Task<IReadOnlyList<ShardProgress>> ListShardsAsync(JobKey job, CancellationToken cancellationToken)
    {
        var shards = new List<ShardProgress>();
        await foreach (var row in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {Partition(job)}"), cancellationToken: cancellationToken))
            if (row.RowKey is not (TotalRow or AttemptsRow)) shards.Add(ReadShard(row));
        return shards;
    }

    public async Task<ShardProgress?> GetShardAsync(JobKey job, int shard, CancellationToken cancellationToken) =>
        await table.GetOrNullAsync<TableEntity>(Partition(job), ShardRow(shard), cancellationToken: cancellationToken) is { } row ? ReadShard(row) : null;

    public async Task SaveShardAsync(JobKey job, ShardProgress progress, CancellationToken cancellationToken) =>
        await table.UpsertEntityAsync(new TableEntity(Partition(job), ShardRow(progress.Shard))
        {
            ["Finished"] = progress.Finished,
            ["UpdatedAt"] = progress.UpdatedAt,
            ["Counts"] = Counts(progress.Counts),
            ["Cursor"] = progress.Cursor,
            ["Seen"] = progress.Seen is { } seen ? Counts(seen) : null,
        }.WithoutNulls(), TableUpdateMode.Replace, cancellationToken);

    public async Task<JobCounts> WrittenAsync(JobKey job, int shard, CancellationToken cancellationToken)
    {
        var partition = MemberShards.PartitionKey(job.ProgramId, shard);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partition} and RowKey ge {MemberRows.TallyRangeStart(job)} and RowKey lt {MemberRows.TallyRangeEnd(job)}");
        var written = JobCounts.Zero;
        await foreach (var row in members.QueryAsync<TableEntity>(filter, select: ["Counts"], cancellationToken: cancellationToken))
            written += MemberRows.ReadTally(row);
        return written;
    }

    public async Task<JobTotals?> GetTotalsAsync(JobKey job, CancellationToken cancellationToken) =>
        await table.GetOrNullAsync<TableEntity>(Partition(job), TotalRow, cancellationToken: cancellationToken) is { } row
            ? Totals(row)
            : null;

    private static JobTotals Totals(TableEntity row) => new(Counts(row), row.GetInt32("Shards") ?? 0, row.GetDateTimeOffset("UpdatedAt") ?? default);

    /// <summary>
    /// A range over partition keys, reading the "total" rows only: one row per finished run, and runs without one are
    /// found by a second pass over shard rows with the same prefix.
    /// </summary>
    public async Task<IReadOnlyList<(JobKey Key, JobTotals? Totals)>> ListRunsAsync(
        string programId, string job, string runPrefix, CancellationToken cancellationToken)
    {
        var start = Partition(new JobKey(programId, job, runPrefix));
        var runs = new SortedDictionary<string, JobTotals?>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {start} and PartitionKey lt {start + "~"}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (row.RowKey == TotalRow) runs[row.PartitionKey] = Totals(row);
            else runs.TryAdd(row.PartitionKey, null);
        }
        var prefix = $"{programId}|{job}|";
        return [.. runs.Select(r => (new JobKey(programId, job, KeyText.Unescape(r.Key[prefix.Length..])), r.Value))];
    }

    public async Task<JobAttempts?> GetAttemptsAsync(JobKey job, CancellationToken cancellationToken) =>
        await table.GetOrNullAsync<TableEntity>(Partition(job), AttemptsRow, cancellationToken: cancellationToken) is { } row
            ? new JobAttempts(row.GetInt32("Count") ?? 0, row.GetDateTimeOffset("UpdatedAt") ?? default, row.GetBoolean("GaveUp") ?? false,
                row.GetString("LastFailure"))
            : null;

    public async Task SaveAttemptsAsync(JobKey job, JobAttempts attempts, CancellationToken cancellationToken) =>
        await table.UpsertEntityAsync(new TableEntity(Partition(job), AttemptsRow)
        {
            ["Count"] = attempts.Count,
            ["UpdatedAt"] = attempts.LastStartedAt,
            ["GaveUp"] = attempts.GaveUp,
            ["LastFailure"] = attempts.LastFailure,
        }.WithoutNulls(), TableUpdateMode.Replace, cancellationToken);

    public async Task CompleteAsync(JobKey job, JobTotals totals, CancellationToken cancellationToken) =>
        await table.UpsertEntityAsync(new TableEntity(Partition(job), TotalRow)
        {
            ["Finished"] = true,
            ["Shards"] = totals.Shards,
            ["UpdatedAt"] = totals.CompletedAt,
            ["Counts"] = Counts(totals.Counts),
        }, TableUpdateMode.Replace, cancellationToken);

    private static ShardProgress ReadShard(TableEntity row) =>
        new(int.Parse(row.RowKey, NumberStyles.None, CultureInfo.InvariantCulture), row.GetBoolean("Finished") ?? false, Counts(row),
        row.GetDateTimeOffset("UpdatedAt") ?? default, row.GetString("Cursor"),
            row.GetString("Seen") is { } seen ? new JobCounts(LoyaltyJson.Deserialize<Dictionary<string, long>>(seen)) : null);

    private static string Counts(JobCounts counts) => LoyaltyJson.Serialize(new Dictionary<string, long>(counts.Values, StringComparer.Ordinal));

    private static JobCounts Counts(TableEntity row) => new(LoyaltyJson.Deserialize<Dictionary<string, long>>(row.Required("Counts")));

    private static string Partition(JobKey job) => $"{job.ProgramId}|{job.Job}|{KeyText.Escape(job.Run)}";

    private static string ShardRow(int shard) => shard.ToString("D4", CultureInfo.InvariantCulture);
}
