using System.Text.Json;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Application.Receipts;
using Loyalty.Core.Events;
using Loyalty.Core.Ledger;
using Loyalty.Core.Members;
using Loyalty.Core.Views;

namespace Loyalty.Core.Application.Privacy;

/// <param name="Location">Where the document is kept in Blob storage ("{container}/{program}/{member}/{time}.json").</param>
/// <param name="Content">The document: a <see cref="MemberExport"/> as UTF-8 JSON.</param>
public sealed record ExportedDocument(string Location, ReadOnlyMemory<byte> Content);

/// <summary>The answer to an erasure, kept beside the de-identified member so a repeated erasure gives the same answer.</summary>
/// <param name="IdentitiesFreed">The kinds of identifier released for anyone to enrol with (phone, email, card, external); never their values.</param>
/// <param name="CampaignExports">
/// Campaign audience exports written before the erasure that listed the member: the provider that received them must be
/// asked to delete the member there too.
/// </param>
public sealed record ErasureRecord(
    string MemberId,
    DateTimeOffset ErasedAt,
    string Reason,
    string ErasedBy,
    IReadOnlyList<IdentityKind> IdentitiesFreed,
    int ReceiptArchivesRewritten,
    int ParkedReceiptsRemoved,
    int ExportsDeleted,
    int AuditEntriesScrubbed,
    IReadOnlyList<string> CampaignExports);

/// <summary>Everything the system holds about one member (<c>loyalty.member-export.v1</c>).</summary>
public sealed record MemberExport
{
    public const string DocumentType = "loyalty.member-export.v1";

    public string Type => DocumentType;
    public required string ProgramId { get; init; }
    public required string MemberId { get; init; }
    public required DateTimeOffset ExportedAt { get; init; }
    public required MemberProfile Profile { get; init; }

    /// <summary>Tier, progress, balance, open vouchers and stamp cards as the member sees them.</summary>
    public required MemberView View { get; init; }

    /// <summary>The stored state behind the view: point lots, vouchers, stamp cards.</summary>
    public required MemberState State { get; init; }

    /// <summary>Purchase counters for segments (recency, frequency, spend, channels).</summary>
    public required MemberActivity Activity { get; init; }

    public required IReadOnlyList<ExportedIdentity> Identities { get; init; }
    public required IReadOnlyList<ConsentChange> ConsentHistory { get; init; }
    public required IReadOnlyList<ReceiptSummary> Receipts { get; init; }

    /// <summary>Each receipt exactly as the till or web shop sent it (only this member's receipts of a multi-receipt message).</summary>
    public required IReadOnlyList<RawReceipt> RawReceipts { get; init; }

    public required IReadOnlyList<LedgerEntry> Ledger { get; init; }

    /// <summary>Every operation record: receipts, voucher choices and redemptions, enrolment, campaign deliveries ("campaign:…").</summary>
    public required IReadOnlyList<OperationRecord> Operations { get; init; }

    public required IReadOnlyList<Notification> PendingNotifications { get; init; }

    /// <summary>Receipts still waiting under one of the member's identifiers (a refused replay waits for an operator).</summary>
    public required IReadOnlyList<ParkedReceipt> ParkedReceipts { get; init; }

    public required IReadOnlyList<AuditEntry> Audit { get; init; }
    public ErasureRecord? Erasure { get; init; }
}

public sealed record ExportedIdentity(IdentityKind Kind, string Value, DateTimeOffset ClaimedAt);

/// <param name="Archive">The blob it was read from.</param>
public sealed record RawReceipt(string Archive, string ReceiptId, JsonElement Payload);
