using Loyalty.Core.Access;

namespace Loyalty.Core.Application.MemberAuth;

/// <summary>
/// How members verify themselves. The limits are fixed on purpose (docs/privacy.md explains them); what differs per
/// deployment is the key, the token lifetime, the link page and how busy one client address may be.
/// </summary>
public sealed record MemberAuthOptions
{
    /// <summary>Six digits: easy to type from an SMS, and with <see cref="MaxFailedAttempts"/> guessing one is a 1-in-200,000 chance.</summary>
    public const int CodeDigits = 6;

    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);

    /// <summary>Wrong codes (or links) before the code is locked; a new code must be requested.</summary>
    public const int MaxFailedAttempts = 5;

    /// <summary>Codes one identifier may be sent per <see cref="Window"/>: caps both SMS cost and guesses (5 × 5 per hour).</summary>
    public const int CodesPerIdentifier = 5;

    /// <summary>Rate windows are clock hours (UTC): simple to count in one row, and Retry-After is the next hour.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    public required MemberTokenKeys Keys { get; init; }

    /// <summary>True when <see cref="Keys"/> were generated at start-up for want of configuration (development only).</summary>
    public bool EphemeralKeys { get; init; }

    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>The page of the app or web shop that takes a magic link's token (…?token=…); null: e-mails carry the code only.</summary>
    public Uri? LinkBaseUrl { get; init; }

    /// <summary>Code requests, and separately token attempts, one client address may make per <see cref="Window"/>.</summary>
    public int RequestsPerAddress { get; init; } = 60;

    /// <summary>A random key and the defaults: for tests and a laptop without configuration.</summary>
    public static MemberAuthOptions Development() => new() { Keys = MemberTokenKeys.Ephemeral(), EphemeralKeys = true };

    /// <summary>The end of the rate window <paramref name="now"/> falls in.</summary>
    public static DateTimeOffset WindowEnd(DateTimeOffset now) =>
        new DateTimeOffset(now.UtcDateTime.Date.AddHours(now.UtcDateTime.Hour), TimeSpan.Zero) + Window;
}

/// <summary>
/// The program a deployment's own member pages (web/me) sign members in to, without an API key: a key in a page anyone
/// can load is a key anyone has, so the program comes from the host's configuration instead. Null: no key-less sign-in.
/// </summary>
public sealed record MemberPages(string? ProgramId);
