namespace Loyalty.Core.Application.Ports;

/// <summary>
/// One-time codes and rate counters of member verification. Nothing here is personal data in clear: subjects are
/// keyed HMACs of the identifier or client address, codes and link secrets are stored as keyed HMACs only.
/// </summary>
public interface IMemberAuthStore
{
    /// <summary>The code state of one subject (an identifier's HMAC) in a program, with its version for <see cref="TrySaveCodeAsync"/>.</summary>
    Task<StoredCode?> GetCodeAsync(string programId, string subject, CancellationToken cancellationToken);

    /// <summary>Writes the state if the row is still at <paramref name="version"/> (null: the row must not exist yet).</summary>
    /// <returns>False when another request changed the row first: read it again.</returns>
    Task<bool> TrySaveCodeAsync(string programId, string subject, CodeState state, string? version, CancellationToken cancellationToken);

    /// <summary>Removes the code rows of these subjects (erasure); missing ones are fine.</summary>
    Task DeleteCodesAsync(string programId, IReadOnlyList<string> subjects, CancellationToken cancellationToken);

    /// <summary>Adds one to the counter named <paramref name="counter"/> and returns its new value; the row may be swept after <paramref
    /// name="until"/>.</summary>
    Task<int> IncrementAsync(string programId, string counter, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Removes every code and counter row that nothing needs after <paramref name="before"/>.</summary>
    /// <returns>How many rows were removed.</returns>
    Task<int> DeleteExpiredAsync(DateTimeOffset before, CancellationToken cancellationToken);
}

/// <summary>
/// The latest code sent to one identifier and the identifier's own request count in the current window.
/// <see cref="MemberId"/> is null when nobody is enrolled with the identifier: the row is written all the same, so
/// both cases cost the same and answer the same.
/// </summary>
/// <param name="CodeHash">HMAC of the code; null once it was used.</param>
/// <param name="LinkHash">HMAC of the magic link's secret; null when no link was sent or once it was used.</param>
/// <param name="Until">When the row is of no more use (the code expired and the window ended): the sweep removes it after.</param>
public sealed record CodeState(
    string? MemberId,
    string? CodeHash,
    string? LinkHash,
    DateTimeOffset ExpiresAt,
    int FailedAttempts,
    DateTimeOffset WindowStart,
    int SentInWindow,
    DateTimeOffset Until);

/// <param name="Version">Opaque version for a conditional write.</param>
public sealed record StoredCode(CodeState State, string Version);
