namespace Loyalty.Core.Application.Ports;

/// <param name="ConcurrencyToken">As read with the member; null to insert a new member.</param>
public sealed record MemberBatchWrite(MemberKey Key, MemberWrite Write, string? ConcurrencyToken);
