namespace Loyalty.Core.Application.Ports;

/// <summary>Who read or exported a member's personal data, or erased it, when and why: append-only, per member.</summary>
public interface IAuditLog
{
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>A member's entries newest first, after the cursor of the previous page.</summary>
    Task<CursorPage<AuditEntry>> ListAsync(string programId, string memberId, int pageSize, string? after, CancellationToken cancellationToken);

    /// <summary>Rewrites the member's entries whose reason quotes what <paramref name="redaction"/> takes out.</summary>
    /// <returns>How many entries were rewritten.</returns>
    Task<int> ScrubAsync(string programId, string memberId, Privacy.Redaction redaction, CancellationToken cancellationToken);
}

/// <param name="Actor">The API key id, or "member:{memberId}" for the member's own token.</param>
/// <param name="Action">What was done: member.read, member.identify, member.receipts, member.ledger, member.export, member.erasure,
/// contact.update, receipt.parked_retry, receipt.parked_discard.</param>
/// <param name="Reason">Why, as the caller stated it (X-Audit-Reason, or the erasure's reason).</param>
/// <param name="Detail">What exactly, without personal data: the fields a contact update changed, the parked receipt's id.</param>
public sealed record AuditEntry(
    string Id, string ProgramId, string MemberId, DateTimeOffset At, string Actor, string Action, string? Reason, string? Detail = null)
{
    public static AuditEntry Create(string programId, string memberId, DateTimeOffset at, string actor, string action, string? reason, string? detail = null) =>
        new(System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(9)),
            programId, memberId, at, actor, action, reason, detail);
}
