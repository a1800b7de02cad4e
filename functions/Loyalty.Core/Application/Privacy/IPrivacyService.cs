using Loyalty.Core.Application.Ports;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Application.Privacy;

/// <summary>GDPR: export and erasure of a member's personal data, and the audit trail of who touched it.</summary>
public interface IPrivacyService
{
    /// <summary>Everything held about the member as one JSON document, also kept in Blob storage; recorded in the audit trail.</summary>
    Task<Result<ExportedDocument>> ExportAsync(LoadedProgram program, string memberId, string actor, string? reason, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the member's personal data everywhere, keeping receipts and ledger de-identified; the identifiers are
    /// free again. Erasing again answers the first erasure's record and changes nothing.
    /// </summary>
    Task<Result<ErasureRecord>> EraseAsync(LoadedProgram program, string memberId, string reason, string actor, CancellationToken cancellationToken);

    /// <summary>Records a read of a member's personal data (an admin looking the member up).</summary>
    Task RecordReadAsync(string programId, string memberId, string actor, string action, string? reason, CancellationToken cancellationToken);

    /// <summary>The audit trail of one member, newest first.</summary>
    Task<Result<Page<AuditEntry>>> ListAuditAsync(LoadedProgram program, string memberId, PageRequest page, CancellationToken cancellationToken);
}
