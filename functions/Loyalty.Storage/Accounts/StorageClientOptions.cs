using Azure.Core;

namespace Loyalty.Storage.Accounts;

/// <summary>
/// Retry, diagnostics and transport settings shared by every client of one <see cref="StorageAccount"/>.
/// Azure.Core's defaults apply (3 exponential retries from 0.8 s, 100 s network timeout); retries cover
/// 408, 429, 500, 502, 503, 504 and transport failures.
/// </summary>
public sealed class StorageClientOptions : ClientOptions
{
}
