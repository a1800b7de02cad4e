using Loyalty.Core.Access;
using Loyalty.Core.Ledger;
using Loyalty.Core.Members;
using Loyalty.Core.Programs;
using Loyalty.Core.Validation;
using Loyalty.Core.Views;

namespace Loyalty.Core.Application;

/// <summary>
/// What the HTTP handlers (both hosts) and the CLI call. Client mistakes come back as <see cref="Result{T}"/>
/// errors with stable codes (<see cref="ErrorCodes"/> and <see cref="ApplicationErrors"/>); exceptions mean a bug or
/// an outage. Every method is scoped to one program: nothing here can reach another program's rows.
/// </summary>
public interface IMemberService
{
    /// <summary>Enrols a member; card, phone, e-mail and external id must be free in the program. Issues the welcome reward once.</summary>
    Task<Result<MemberDetails>> EnrolAsync(string programId, EnrolMember request, CancellationToken cancellationToken);

    /// <summary>Finds a member by exactly one identifier and returns the till view.</summary>
    Task<Result<MemberDetails>> IdentifyAsync(string programId, MemberIdentifier identifier, CancellationToken cancellationToken);

    Task<Result<MemberDetails>> GetAsync(string programId, string memberId, CancellationToken cancellationToken);

    /// <summary>
    /// Staff change contact details and consents, at once (a new phone or e-mail is claimed, receipts parked under it
    /// applied); a null field is left as it is. Audited: who, which fields, why. (A member's own change goes through
    /// <see cref="ISelfService"/>, where a new phone or e-mail waits for a code.)
    /// </summary>
    Task<Result<MemberDetails>> UpdateContactAsync(string programId, string memberId, UpdateContact request, StaffChange by, CancellationToken cancellationToken);

    /// <summary>Puts <paramref name="memberId"/> in the household of <paramref name="householdOf"/> (stamps may then land on a shared card).</summary>
    Task<Result<MemberDetails>> LinkHouseholdAsync(string programId, string memberId, string householdOf, CancellationToken cancellationToken);

    /// <summary>The member's receipts, newest first.</summary>
    Task<Result<Page<ReceiptSummary>>> ListReceiptsAsync(string programId, string memberId, PageRequest page, CancellationToken cancellationToken);

    /// <summary>The member's ledger, newest first.</summary>
    Task<Result<Page<LedgerEntry>>> ListLedgerAsync(string programId, string memberId, PageRequest page, CancellationToken cancellationToken);

    /// <summary>Turns points into a voucher of a till denomination; a retried <paramref name="requestId"/> returns the first outcome.</summary>
    Task<Result<Outcome>> ChooseVoucherAsync(string programId, string memberId, string requestId, decimal value, CancellationToken cancellationToken);

    /// <summary>Redeems an open voucher exactly once, even when many requests race for it.</summary>
    Task<Result<Outcome>> RedeemVoucherAsync(string programId, string memberId, string voucherId, string requestId, CancellationToken cancellationToken);
}

/// <summary>Points accrual from receipts: the web shop over HTTP, the POS through the receipts queue.</summary>
public interface IReceiptService
{
    /// <summary>Checks one receipt, archives <paramref name="payload"/> (its raw form) and applies it exactly once.</summary>
    Task<Result<Receipts.ReceiptResult>> SubmitAsync(string programId, Receipts.PosReceipt receipt, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

    /// <summary>Keeps a raw queue message for audit and replay before its receipts are applied.</summary>
    /// <returns>Where it is kept, to pass to <see cref="ApplyAsync"/>; null when there is no such program (nothing is kept).</returns>
    Task<string?> ArchiveAsync(string programId, string name, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

    /// <summary>Applies one receipt exactly once; the same receipt again returns the first outcome.</summary>
    Task<Result<Receipts.ReceiptResult>> ApplyAsync(string programId, Receipts.PosReceipt receipt, string? archived, CancellationToken cancellationToken);

    /// <summary>Receipts waiting for their identifier to be enrolled.</summary>
    Task<Result<Page<Receipts.ParkedReceipt>>> ListParkedAsync(string programId, PageRequest page, CancellationToken cancellationToken);

    /// <summary>
    /// Applies parked receipts whose identifier a member holds now. Enrolment does this for its own identifiers; this
    /// sweep catches an enrolment that crashed before it got that far.
    /// </summary>
    /// <returns>How many were applied.</returns>
    Task<int> ReplayParkedAsync(string programId, CancellationToken cancellationToken);

    /// <summary>
    /// An operator runs a parked receipt again (one the member's state refused, say, now that it allows it): applied
    /// exactly once to the member holding its identifier and no longer parked, or refused with the reason and left
    /// parked. Audited under that member.
    /// </summary>
    Task<Result<Receipts.ReceiptResult>> RetryParkedAsync(string programId, string receiptId, StaffChange by, CancellationToken cancellationToken);

    /// <summary>An operator gives up on a parked receipt: it is no longer parked (its raw payload stays archived). Audited under the member holding its identifier.</summary>
    Task<Result<Receipts.ParkedReceipt>> DiscardParkedAsync(string programId, string receiptId, StaffChange by, CancellationToken cancellationToken);
}

public interface IProgramService
{
    /// <summary>Creates a program with its first definition (version 1); the shard count is fixed from then on.</summary>
    Task<Result<ProgramSummary>> CreateAsync(CreateProgram request, CancellationToken cancellationToken);

    /// <summary>Validates and stores the next version; receipts purchased from its <c>EffectiveFrom</c> on are scored by it.</summary>
    Task<Result<ProgramSummary>> PublishAsync(string programId, ProgramDefinition definition, CancellationToken cancellationToken);

    Task<Result<ProgramSummary>> GetAsync(string programId, CancellationToken cancellationToken);
}

public interface IApiKeyService
{
    /// <summary>Creates a key; its secret is in the result and nowhere else, ever.</summary>
    /// <param name="expiresAt">When the key stops working; null for never.</param>
    Task<Result<IssuedApiKey>> CreateAsync(string programId, string name, Scope scopes, DateTimeOffset? expiresAt, CancellationToken cancellationToken);

    /// <summary>A key that does not expire.</summary>
    Task<Result<IssuedApiKey>> CreateAsync(string programId, string name, Scope scopes, CancellationToken cancellationToken) =>
        CreateAsync(programId, name, scopes, expiresAt: null, cancellationToken);

    /// <summary>The caller behind a presented key, or null for a malformed, unknown, expired or revoked key.</summary>
    Task<ApiCaller?> AuthenticateAsync(string presentedKey, CancellationToken cancellationToken);

    /// <summary>The program's keys, revoked and expired ones included, in key-id order; never a secret.</summary>
    Task<Result<Page<ApiKeyInfo>>> ListAsync(string programId, PageRequest page, CancellationToken cancellationToken);

    /// <summary>One key of the program; another program's key is <see cref="ApplicationErrors.KeyNotFound"/>.</summary>
    Task<Result<ApiKeyInfo>> GetAsync(string programId, string keyId, CancellationToken cancellationToken);

    /// <summary>
    /// Revokes a key of the program for good (revoking again changes nothing). Hosts cache successful look-ups, so a
    /// revoked key may still be accepted for that cache's lifetime.
    /// </summary>
    Task<Result<ApiKeyInfo>> RevokeAsync(string programId, string keyId, CancellationToken cancellationToken);
}

/// <summary>Enrolment data. Phone numbers are normalised to E.164 with the program's default country; e-mail is matched case-insensitively.</summary>
public sealed record EnrolMember
{
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }

    /// <summary>A physical card's number; without one a digital card number is issued.</summary>
    public string? CardNumber { get; init; }

    /// <summary>The web shop's customer id.</summary>
    public string? ExternalId { get; init; }

    public DateOnly? BirthDate { get; init; }
    public string? StoreId { get; init; }
    public IReadOnlyDictionary<ConsentChannel, bool>? Consents { get; init; }

    /// <summary>Interest tags for segments ("running", "kids-fashion"): lower-case letters, digits and dashes.</summary>
    public IReadOnlyList<string>? Interests { get; init; }
    public string? HouseholdOf { get; init; }
}

/// <summary>Exactly one of the fields is set.</summary>
public sealed record MemberIdentifier
{
    public string? MemberId { get; init; }
    public string? CardNumber { get; init; }
    public string? Phone { get; init; }
    public string? Email { get; init; }
    public string? ExternalId { get; init; }
}

public sealed record UpdateContact
{
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public DateOnly? BirthDate { get; init; }
    public IReadOnlyDictionary<ConsentChannel, bool>? Consents { get; init; }

    /// <summary>Replaces the member's interest tags; an empty list clears them.</summary>
    public IReadOnlyList<string>? Interests { get; init; }
}

/// <summary>Who on the staff changes a member's details or parked receipts, and why (the optional X-Audit-Reason).</summary>
/// <param name="Admin">An admin key: consent changes are recorded as "admin:{keyId}", else "staff:{keyId}".</param>
public sealed record StaffChange(string KeyId, bool Admin, string? Reason = null)
{
    public string Source => $"{(Admin ? "admin" : "staff")}:{KeyId}";
}

/// <summary>A member's own update: the member as changed now, and the new phone or e-mail still waiting for its code.</summary>
public sealed record ContactUpdate(MemberProfile Profile, Views.MemberView View, IReadOnlyList<PendingContact> Pending);

/// <summary>A new phone or e-mail waiting to be confirmed with the code sent to it.</summary>
/// <param name="Field">"phone" or "email".</param>
/// <param name="Value">The new identifier, normalised (E.164, lower case): send it back with the code.</param>
/// <param name="Channel">Where the code went: "sms" or "email".</param>
public sealed record PendingContact(string Field, string Value, string Channel, int ExpiresInSeconds);

public enum ConsentChannel { Email, Sms, Push }

/// <summary>A consent once given or refused is never "not set" again; <see cref="ChangedAt"/> says when it last changed.</summary>
public sealed record Consent(bool Granted, DateTimeOffset ChangedAt, string Source);

/// <summary>
/// One change of one consent, kept for good beside the member. <see cref="Source"/> is where it came from: "enrolment",
/// "store:{storeId}" (enrolled in a store), "staff:{keyId}", "admin:{keyId}", "member" (self-service) or "erasure".
/// </summary>
public sealed record ConsentChange(ConsentChannel Channel, bool Granted, DateTimeOffset At, string Source);

public sealed record MemberProfile
{
    public required string MemberId { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public required string CardNumber { get; init; }
    public string? ExternalId { get; init; }
    public DateOnly? BirthDate { get; init; }
    public string? StoreId { get; init; }
    public string? HouseholdId { get; init; }
    public IReadOnlyDictionary<ConsentChannel, Consent> Consents { get; init; } = new Dictionary<ConsentChannel, Consent>();
    public IReadOnlyList<string> Interests { get; init; } = [];
    public required DateTimeOffset EnrolledAt { get; init; }

    /// <summary>When the member's personal data was erased (GDPR); the de-identified member keeps its receipts and points.</summary>
    public DateTimeOffset? ErasedAt { get; init; }
}

/// <summary>Everything a till or app needs about a member in one answer.</summary>
public sealed record MemberDetails(MemberProfile Profile, MemberView View);

/// <param name="Archive">Where the raw payload the receipt came in is kept (Blob storage).</param>
public sealed record ReceiptSummary(string ReceiptId, DateTimeOffset PurchasedAt, string StoreId, string Channel, decimal Total, string Currency, string? ReturnOf, Outcome Outcome, string? Archive = null);

/// <summary>A page of results and the opaque token for the next one (null on the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Continuation);

public sealed record PageRequest(int PageSize = 50, string? Continuation = null)
{
    public const int MaxPageSize = 200;
}

public sealed record CreateProgram
{
    public required ProgramDefinition Definition { get; init; }
    public required string Name { get; init; }

    /// <summary>ISO 3166-1 alpha-2 country for phone numbers written without a country code.</summary>
    public string DefaultCountry { get; init; } = "SE";

    /// <summary>Member partitions; fixed at creation. A power of two from 1 to 1024.</summary>
    public int Shards { get; init; } = 64;
}

public sealed record ProgramSummary(string ProgramId, string Name, string DefaultCountry, int Shards, ProgramDefinition Latest, IReadOnlyList<int> Versions);

public sealed record IssuedApiKey(string KeyId, string ProgramId, string Name, Scope Scopes, string Secret)
{
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
}

public enum ApiKeyStatus { Active, Expired, Revoked }

/// <summary>What an operator may see of a key: everything but its secret (which is not stored) and its hash.</summary>
/// <param name="LastUsedAt">When it last authenticated, up to an hour stale; null if never.</param>
public sealed record ApiKeyInfo(
    string KeyId, string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt, ApiKeyStatus Status);

/// <summary>Who is calling: the program the key is bound to, and what it may do.</summary>
/// <param name="MemberId">Set for a member token (scope member): the one member it may act for; its <see cref="Scopes"/> are none.</param>
public sealed record ApiCaller(string KeyId, string ProgramId, Scope Scopes, string? MemberId = null);
