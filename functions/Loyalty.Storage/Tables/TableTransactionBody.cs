using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Loyalty.Storage.Errors;

namespace Loyalty.Storage.Tables;

/// <summary>
/// The multipart/mixed <c>$batch</c> format of entity group transactions:
/// https://learn.microsoft.com/rest/api/storageservices/performing-entity-group-transactions.
/// </summary>
internal static class TableTransactionBody
{
    public const int MaxActions = 100;
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>
    /// The service's rules, checked before sending because Azurite does not enforce them and would
    /// commit a transaction that Azure rejects.
    /// </summary>
    public static void Validate(IReadOnlyList<TableTransactionAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (actions.Count is 0 or > MaxActions)
        {
            throw new ArgumentException($"A transaction holds 1 to {MaxActions} actions; got {actions.Count}.", nameof(actions));
        }

        var partitionKey = actions[0].PartitionKey;
        var rowKeys = new HashSet<string>(actions.Count, StringComparer.Ordinal);
        for (var i = 0; i < actions.Count; i++)
        {
            var action = actions[i] ?? throw new ArgumentException($"Action {i} is null.", nameof(actions));
            TableKeys.Validate(action.PartitionKey, action.RowKey);
            if (!string.Equals(action.PartitionKey, partitionKey, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"All actions of a transaction must share one PartitionKey: action 0 has '{partitionKey}', action {i} has '{action.PartitionKey}'.",
                    nameof(actions));
            }

            if (!rowKeys.Add(action.RowKey))
            {
                throw new ArgumentException($"Action {i} touches row '{action.RowKey}' again; a transaction may touch each entity once.", nameof(actions));
            }
        }
    }

    /// <returns>The body and the Content-Type (with its boundary) of the $batch request.</returns>
    public static (ReadOnlyMemory<byte> Body, string ContentType) Build(Uri endpoint, string table, IReadOnlyList<TableTransactionAction> actions)
    {
        var batch = $"batch_{Guid.NewGuid():D}";
        var changeset = $"changeset_{Guid.NewGuid():D}";
        var buffer = new ArrayBufferWriter<byte>(1024 + (actions.Count * 512));
        using var json = new Utf8JsonWriter(buffer);

        Text(buffer, $"--{batch}\r\nContent-Type: multipart/mixed; boundary={changeset}\r\n\r\n");
        foreach (var action in actions)
        {
            var (method, path) = action.ActionType switch
            {
                TableTransactionActionType.Insert => ("POST", $"/{table}"),
                TableTransactionActionType.UpsertMerge or TableTransactionActionType.UpdateMerge => ("MERGE", TableKeys.EntityPath(table, action.PartitionKey, action.RowKey)),
                TableTransactionActionType.UpsertReplace or TableTransactionActionType.UpdateReplace => ("PUT", TableKeys.EntityPath(table, action.PartitionKey, action.RowKey)),
                _ => ("DELETE", TableKeys.EntityPath(table, action.PartitionKey, action.RowKey)),
            };

            Text(buffer, $"--{changeset}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n");
            Text(buffer, $"{method} {endpoint.AbsoluteUri}{path} HTTP/1.1\r\nAccept: application/json;odata=minimalmetadata\r\nDataServiceVersion: 3.0\r\n");
            if (action.IfMatch != default)
            {
                Text(buffer, $"If-Match: {action.IfMatch.ToString("H")}\r\n");
            }

            if (action.ActionType == TableTransactionActionType.Delete)
            {
                Text(buffer, "\r\n");
                continue;
            }

            // Azurite finds each operation's JSON with a single-line regex: the body must stay on one line.
            Text(buffer, action.ActionType == TableTransactionActionType.Insert
                ? "Content-Type: application/json\r\nPrefer: return-no-content\r\n\r\n"
                : "Content-Type: application/json\r\n\r\n");
            json.Reset(buffer);
            TableEntityJson.Write(json, action.Entity);
            json.Flush();
            Text(buffer, "\r\n");
        }

        Text(buffer, $"--{changeset}--\r\n--{batch}--\r\n");
        if (buffer.WrittenCount > MaxBodyBytes)
        {
            throw new ArgumentException($"The transaction is {buffer.WrittenCount} bytes; the service accepts at most 4 MiB.", nameof(actions));
        }

        return (buffer.WrittenMemory, $"multipart/mixed; boundary={batch}");
    }

    /// <summary>
    /// Reads the per-operation responses. On failure the service answers with only the failing
    /// operation, whose OData message starts with its zero-based index: "56:The specified entity already exists.".
    /// </summary>
    /// <returns>The new ETag of each operation (null for deletes).</returns>
    public static IReadOnlyList<ETag?> ParseResponse(Response response, IReadOnlyList<TableTransactionAction> actions)
    {
        var text = response.Content.ToString();
        var requestId = response.Headers.TryGetValue("x-ms-request-id", out var id) ? id : null;
        var etags = new List<ETag?>(actions.Count);
        var position = 0;
        while ((position = text.IndexOf("HTTP/1.1 ", position, StringComparison.Ordinal)) >= 0)
        {
            var status = int.Parse(text.AsSpan(position + 9, 3), CultureInfo.InvariantCulture);
            position = text.IndexOf('\n', position) + 1;

            ETag? etag = null;
            while (position > 0 && position < text.Length)
            {
                var end = text.IndexOf('\n', position);
                end = end < 0 ? text.Length : end;
                var line = text.AsSpan(position, end - position).TrimEnd('\r');
                position = end + 1;
                if (line.IsEmpty)
                {
                    break;
                }

                if (line.StartsWith("ETag:", StringComparison.OrdinalIgnoreCase))
                {
                    etag = new ETag(line[5..].Trim().ToString());
                }
            }

            if (status >= 300)
            {
                var bodyEnd = text.IndexOf("\n--", Math.Min(position, text.Length), StringComparison.Ordinal);
                var body = text[Math.Min(position, text.Length)..(bodyEnd < 0 ? text.Length : bodyEnd)].Trim();
                throw Failure(status, body, requestId, actions);
            }

            etags.Add(etag);
        }

        return etags.Count == actions.Count
            ? etags
            : throw new StorageException(response.Status, null, $"The transaction response held {etags.Count} results for {actions.Count} actions.", requestId);
    }

    private static TableTransactionFailedException Failure(int status, string body, string? requestId, IReadOnlyList<TableTransactionAction> actions)
    {
        string? code = null, message = null;
        if (body.StartsWith('{'))
        {
            try
            {
                (code, message) = StorageErrors.ReadJson(BinaryData.FromString(body));
            }
            catch (JsonException)
            {
                // Keep status only; the index is then unknown.
            }
        }

        int? index = null;
        var colon = message?.IndexOf(':') ?? -1;
        if (colon > 0 && int.TryParse(message.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed < actions.Count)
        {
            index = parsed;
            message = message![(colon + 1)..];
        }

        var failed = index is { } i ? actions[i] : null;
        var description = StorageErrors.Describe(status, code, message);
        return new TableTransactionFailedException(
            status,
            code,
            failed is null ? $"Transaction failed: {description}" : $"Transaction failed at action {index} ({failed}): {description}",
            requestId,
            index,
            failed);
    }

    private static void Text(ArrayBufferWriter<byte> buffer, string text)
    {
        var written = Encoding.UTF8.GetBytes(text, buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length)));
        buffer.Advance(written);
    }
}
