namespace Loyalty.Core.Application.Ports;

/// <summary>Where a member lives: the program, its fixed shard count, the member id.</summary>
public sealed record MemberKey(string ProgramId, int Shards, string MemberId);
