using Loyalty.Storage.Repositories;
using Loyalty.Testing;
using Xunit;

namespace Loyalty.Storage.Tests.Repositories;

public class MemberShardTests
{
    [Fact]
    public void A_member_lands_in_the_same_shard_in_every_process()
    {
        // FNV-1a 32 test vectors: "a" = 0xe40c292c, "foobar" = 0xbf9cf968.
        Assert.Equal(0xe40c292cu % 1024, (uint)MemberShards.Shard("a", 1024));
        Assert.Equal(0xbf9cf968u % 256, (uint)MemberShards.Shard("foobar", 256));
        Assert.Equal("zoo|0300", MemberShards.PartitionKey("zoo", 1024, "a"));
        Assert.Equal("zoo|0000", MemberShards.PartitionKey("zoo", 1, "a"));
    }

    [Fact]
    public void Keys_escape_what_tables_forbid_one_to_one()
    {
        Assert.Equal("a%2Fb%23c%3Fd%5Ce%25f", KeyText.Escape("a/b#c?d\\e%f"));
        Assert.NotEqual(KeyText.Escape("a/b"), KeyText.Escape("a%2Fb"));
        Assert.Equal("plain@example.com", KeyText.Escape("plain@example.com"));
    }
}
