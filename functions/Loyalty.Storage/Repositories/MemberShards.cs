using System.Globalization;
using System.Text;

namespace Loyalty.Storage.Repositories;

/// <summary>
/// Which partition of the Members table holds a member: "{programId}|{shard:D4}" with shard = FNV-1a (32 bit) of the
/// member id's UTF-8 mod the program's shard count. A fixed hash, because string.GetHashCode differs per process and
/// a member must land in the same partition forever. Four digits: up to 1,024 shards.
/// </summary>
internal static class MemberShards
{
    public static string PartitionKey(string programId, int shards, string memberId) => PartitionKey(programId, Shard(memberId, shards));

    public static string PartitionKey(string programId, int shard) => $"{programId}|{shard.ToString("D4", CultureInfo.InvariantCulture)}";

    public static int Shard(string memberId, int shards)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(memberId))
        {
            hash ^= b;
            hash *= 16777619u;
        }
        return (int)(hash % (uint)shards);
    }
}
