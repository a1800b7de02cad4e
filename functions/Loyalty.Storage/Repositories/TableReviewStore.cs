using Azure.Data.Tables;
using Loyalty.Core.Application.Ports;
using Loyalty.Storage.Tables;

namespace Loyalty.Storage.Repositories;

/// <summary>
/// The review index in the Members table: <c>n|{yyyyMMdd}|{memberId}</c> rows in each member's own partition, written
/// and moved by <see cref="TableMemberStore"/> in the member's transactions. The members of a shard due by a date are
/// one RowKey range, "n|" up to "n|{date}}", read with only the row key selected (<see cref="ReviewIndexRow"/>).
/// </summary>
internal sealed class TableReviewStore(TableClient table) : IReviewStore
{
    public async Task<IReadOnlyList<FiledMember>> ListDueAsync(string programId, int shard, DateOnly date, CancellationToken cancellationToken)
    {
        var partition = MemberShards.PartitionKey(programId, shard);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partition} and RowKey gt {MemberRows.ReviewRangeStart} and RowKey lt {MemberRows.ReviewRangeEnd(date)}");
        var due = new List<FiledMember>();
        var rows = table.QueryAsync<ReviewIndexRow>(filter, select: ReviewIndexRow.Selected, maxPerPage: 1000, cancellationToken: cancellationToken);
        await foreach (var row in rows)
            due.Add(new FiledMember(MemberRows.ReviewMemberId(row.RowKey), MemberRows.ReviewDateOf(row.RowKey)));
        return due;
    }

    public async Task RemoveAsync(string programId, int shard, FiledMember entry, CancellationToken cancellationToken) =>
        await table.DeleteEntityAsync(MemberShards.PartitionKey(programId, shard), MemberRows.ReviewKey(entry.ReviewOn, entry.MemberId),
            cancellationToken: cancellationToken);
}
