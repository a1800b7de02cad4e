namespace Loyalty.Core.Application.Ports;

/// <summary>
/// Campaign audience exports (NDJSON for the e-mail/SMS provider, blob prefix <c>campaigns/{programId}/…</c>) that
/// listed a member: erasure cannot recall what a provider received, so it names them for the operator to purge there.
/// </summary>
public interface ICampaignExports
{
    Task<IReadOnlyList<string>> ListForMemberAsync(string programId, string memberId, CancellationToken cancellationToken);
}
