using Azure.Core;

namespace Loyalty.Storage.Accounts;

/// <summary>
/// The retry settings of every storage client, spelled out rather than left to each SDK's defaults (which differ between
/// the Table and the Storage packages and may change with an upgrade). The SDKs retry 408, 429, 500, 502, 503, 504 and
/// transport failures; what still fails after these reaches HTTP callers as a 503 with Retry-After.
/// </summary>
internal static class StorageRetry
{
    /// <summary>
    /// Three retries, exponential from 0.8 s (about 0.8 + 1.6 + 3.2 s of waiting): enough to ride out a throttling burst or
    /// a dropped connection, short enough that a till waiting on a lookup gets its answer (or the 503) within seconds.
    /// </summary>
    public const int MaxRetries = 3;

    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(0.8);

    /// <summary>Caps a server's Retry-After so a long one cannot hold a request for minutes.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Per attempt. The longest request we make is a 4 MiB entity group transaction, which Azure answers in well under a
    /// second; 30 s leaves room for a loaded emulator while a hung connection is not waited on for the SDKs' 100 s.
    /// </summary>
    public static readonly TimeSpan NetworkTimeout = TimeSpan.FromSeconds(30);

    public static void Apply(RetryOptions retry)
    {
        retry.Mode = RetryMode.Exponential;
        retry.MaxRetries = MaxRetries;
        retry.Delay = Delay;
        retry.MaxDelay = MaxDelay;
        retry.NetworkTimeout = NetworkTimeout;
    }
}
