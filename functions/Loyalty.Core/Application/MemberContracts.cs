using Loyalty.Core.Members;
using Loyalty.Core.Views;

namespace Loyalty.Core.Application;

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

/// <param name="Archive">Where the raw payload the receipt came in is kept: a row beside the member, or a blob.</param>
public sealed record ReceiptSummary(string ReceiptId, DateTimeOffset PurchasedAt, string StoreId, string Channel, decimal Total, string Currency,
    string? ReturnOf, Outcome Outcome, string? Archive = null);

/// <summary>A page of results and the opaque token for the next one (null on the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Continuation);

public sealed record PageRequest(int PageSize = 50, string? Continuation = null)
{
    public const int MaxPageSize = 200;
}
