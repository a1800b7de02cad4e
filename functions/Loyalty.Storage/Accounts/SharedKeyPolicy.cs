using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Loyalty.Storage.Accounts;

/// <summary>
/// Signs each attempt (it runs per retry, so every retry gets a fresh x-ms-date) with the account key.
/// The Table service uses its own, shorter string-to-sign; Blob and Queue share the long form with
/// canonicalized x-ms-* headers and all query parameters.
/// See https://learn.microsoft.com/rest/api/storageservices/authorize-with-shared-key.
/// </summary>
internal sealed class SharedKeyPolicy : HttpPipelineSynchronousPolicy
{
    [ThreadStatic]
    private static StringBuilder? cachedBuilder;

    private readonly string accountName;
    private readonly byte[] key;
    private readonly bool tableScheme;
    private readonly TimeProvider time;
    private readonly string authorizationPrefix;

    public SharedKeyPolicy(string accountName, byte[] key, StorageServiceKind service, TimeProvider? time = null)
    {
        this.accountName = accountName;
        this.key = key;
        tableScheme = service == StorageServiceKind.Table;
        this.time = time ?? TimeProvider.System;
        authorizationPrefix = $"SharedKey {accountName}:";
    }

    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        var date = time.GetUtcNow().ToString("r", CultureInfo.InvariantCulture);
        request.Headers.SetValue("x-ms-date", date);

        var builder = cachedBuilder ??= new StringBuilder(512);
        builder.Clear();
        if (tableScheme)
        {
            AppendTableStringToSign(builder, request, date);
        }
        else
        {
            AppendBlobQueueStringToSign(builder, request);
        }

        request.Headers.SetValue("Authorization", authorizationPrefix + Sign(builder));
    }

    private void AppendTableStringToSign(StringBuilder builder, Request request, string date)
    {
        builder.Append(request.Method.Method).Append('\n');
        builder.Append(Header(request, "Content-MD5")).Append('\n');
        builder.Append(Header(request, "Content-Type")).Append('\n');
        builder.Append(date).Append('\n');

        var uri = request.Uri.ToUri();
        AppendAccountAndPath(builder, uri);
        if (uri.Query.Length <= 1)
        {
            return;
        }

        foreach (var (name, value) in QueryParameters(uri))
        {
            // Only comp is part of the Table service's canonicalized resource.
            if (name.Equals("comp", StringComparison.OrdinalIgnoreCase))
            {
                builder.Append("?comp=").Append(value);
                break;
            }
        }
    }

    private void AppendBlobQueueStringToSign(StringBuilder builder, Request request)
    {
        var contentLength = request.Content is { } content && content.TryComputeLength(out var length) && length > 0
            ? length.ToString(CultureInfo.InvariantCulture)
            : string.Empty;

        builder.Append(request.Method.Method).Append('\n');
        builder.Append(Header(request, "Content-Encoding")).Append('\n');
        builder.Append(Header(request, "Content-Language")).Append('\n');
        builder.Append(contentLength).Append('\n');
        builder.Append(Header(request, "Content-MD5")).Append('\n');
        builder.Append(Header(request, "Content-Type")).Append('\n');
        builder.Append('\n'); // Date: empty because x-ms-date is always sent.
        builder.Append(Header(request, "If-Modified-Since")).Append('\n');
        builder.Append(Header(request, "If-Match")).Append('\n');
        builder.Append(Header(request, "If-None-Match")).Append('\n');
        builder.Append(Header(request, "If-Unmodified-Since")).Append('\n');
        builder.Append(Header(request, "Range")).Append('\n');

        var msHeaders = new List<(string Name, string Value)>(8);
        foreach (var header in request.Headers)
        {
            if (header.Name.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
            {
                msHeaders.Add((header.Name.ToLowerInvariant(), header.Value.Trim()));
            }
        }

        msHeaders.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        foreach (var (name, value) in msHeaders)
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }

        var uri = request.Uri.ToUri();
        AppendAccountAndPath(builder, uri);
        var parameters = QueryParameters(uri);
        if (parameters.Count == 0)
        {
            return;
        }

        // Names are lower-cased and sorted; repeated names are joined with ',' in sorted value order.
        foreach (var group in parameters
                     .GroupBy(p => p.Name.ToLowerInvariant(), p => p.Value)
                     .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            builder.Append('\n').Append(group.Key).Append(':').AppendJoin(',', group.Order(StringComparer.Ordinal));
        }
    }

    // Path-style endpoints (Azurite) already start with the account, so it appears twice: "/acct/acct/Tables".
    private void AppendAccountAndPath(StringBuilder builder, Uri uri) =>
        builder.Append('/').Append(accountName).Append(uri.AbsolutePath.Length > 0 ? uri.AbsolutePath : "/");

    private static string Header(Request request, string name) =>
        request.Headers.TryGetValue(name, out var value) ? value : string.Empty;

    private static List<(string Name, string Value)> QueryParameters(Uri uri)
    {
        var result = new List<(string, string)>();
        var query = uri.Query.AsSpan().TrimStart('?');
        foreach (var range in query.Split('&'))
        {
            var pair = query[range];
            if (pair.IsEmpty)
            {
                continue;
            }

            var equals = pair.IndexOf('=');
            var name = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? [] : pair[(equals + 1)..];
            result.Add((Uri.UnescapeDataString(name), Uri.UnescapeDataString(value)));
        }

        return result;
    }

    private string Sign(StringBuilder stringToSign)
    {
        var text = stringToSign.ToString();
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(text, buffer);
            Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
            HMACSHA256.HashData(key, buffer.AsSpan(0, length), hash);
            return Convert.ToBase64String(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
