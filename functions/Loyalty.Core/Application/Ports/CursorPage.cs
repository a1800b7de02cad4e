namespace Loyalty.Core.Application.Ports;

/// <summary>
/// A page and the cursor to continue after it (null on the last page). Cursors are store-defined text without
/// control characters; the service wraps them into opaque continuation tokens.
/// </summary>
public sealed record CursorPage<T>(IReadOnlyList<T> Items, string? Next);
