using Loyalty.Core.Application.Ports;
using Loyalty.Storage.Repositories;
using Loyalty.Testing;
using Xunit;

namespace Loyalty.Storage.Tests.Repositories;

public class MemberScanTests : LoyaltyStorageTest
{
    [Fact]
    public async Task Paging_through_every_shard_visits_each_member_once_in_id_order()
    {
        const int shards = 4;
        var programId = await CreateProgramAsync("scan", shards);
        var enrolled = new List<string>();
        for (var i = 0; i < 25; i++) enrolled.Add((await EnrolAsync(programId)).Profile.MemberId);

        var seen = new List<string>();
        for (var shard = 0; shard < shards; shard++)
        {
            var inShard = new List<string>();
            string? after = null;
            do
            {
                var page = await Port<IMemberStore>().ListShardAsync(programId, shard, 4, after, default);
                Assert.InRange(page.Items.Count, 1, 4);
                inShard.AddRange(page.Items.Select(m => m.Profile.MemberId));
                after = page.Next;
            }
            while (after is not null);
            Assert.Equal(inShard.Order(StringComparer.Ordinal), inShard);
            Assert.All(inShard, id => Assert.Equal(shard, MemberShards.Shard(id, shards)));
            seen.AddRange(inShard);
        }
        Assert.Equal(enrolled.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_empty_shard_is_one_empty_last_page()
    {
        var programId = await CreateProgramAsync("empty", 4);
        var page = await Port<IMemberStore>().ListShardAsync(programId, 2, 100, null, default);
        Assert.Empty(page.Items);
        Assert.Null(page.Next);
    }
}
