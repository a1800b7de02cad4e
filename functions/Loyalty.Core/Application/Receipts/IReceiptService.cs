using Loyalty.Core.Validation;

namespace Loyalty.Core.Application.Receipts;

/// <summary>Points accrual from receipts: the web shop over HTTP, the POS through the receipts queue.</summary>
public interface IReceiptService
{
    /// <summary>Checks one receipt, archives <paramref name="payload"/> (its raw form) and applies it exactly once.</summary>
    Task<Result<Receipts.ReceiptResult>> SubmitAsync(
        LoadedProgram program, Receipts.PosReceipt receipt, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

    /// <summary>Keeps a raw queue message (or one receipt of it) for audit and replay, create-only under <paramref name="name"/>.</summary>
    /// <returns>Where it is kept, to pass to <see cref="ApplyAsync"/>.</returns>
    Task<string> ArchiveAsync(LoadedProgram program, string name, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

    /// <summary>Applies one receipt, archived already, exactly once; the same receipt again returns the first outcome.</summary>
    Task<Result<Receipts.ReceiptResult>> ApplyAsync(LoadedProgram program, Receipts.PosReceipt receipt, string? archived, CancellationToken cancellationToken);

    /// <summary>
    /// Applies one receipt of a queue message exactly once, its raw bytes (<paramref name="payload"/>) committed in the
    /// member's transaction; a return ahead of its purchase is parked, as with <see cref="ApplyAsync"/>.
    /// </summary>
    Task<Result<Receipts.ReceiptResult>> ApplyRawAsync(
        LoadedProgram program, Receipts.PosReceipt receipt, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

    /// <summary>Receipts waiting for their identifier to be enrolled.</summary>
    Task<Result<Page<Receipts.ParkedReceipt>>> ListParkedAsync(LoadedProgram program, PageRequest page, CancellationToken cancellationToken);

    /// <summary>
    /// Applies parked receipts whose identifier a member holds now. Enrolment does this for its own identifiers; this
    /// sweep catches an enrolment that crashed before it got that far.
    /// </summary>
    /// <returns>How many were applied.</returns>
    Task<int> ReplayParkedAsync(LoadedProgram program, CancellationToken cancellationToken);

    /// <summary>
    /// An operator runs a parked receipt again (one the member's state refused, say, now that it allows it): applied
    /// exactly once to the member holding its identifier and no longer parked, or refused with the reason and left
    /// parked. Audited under that member.
    /// </summary>
    Task<Result<Receipts.ReceiptResult>> RetryParkedAsync(LoadedProgram program, string receiptId, StaffChange by, CancellationToken cancellationToken);

    /// <summary>An operator gives up on a parked receipt: it is no longer parked (its raw payload stays archived). Audited under the member holding its
    /// identifier.</summary>
    Task<Result<Receipts.ParkedReceipt>> DiscardParkedAsync(LoadedProgram program, string receiptId, StaffChange by, CancellationToken cancellationToken);
}
