using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace Loyalty.Storage.Tables;

/// <summary>Point reads where a missing row is an answer and a missing table is an error.</summary>
public static class TableReads
{
    /// <summary>
    /// The row, or null when the table has no such row. <c>GetEntityIfExistsAsync</c> also answers "no value" when the
    /// table itself is missing; read as a missing row, a deleted or misnamed Members table would look like a program
    /// without members, so that 404 (TableNotFound) is thrown instead.
    /// </summary>
    /// <exception cref="RequestFailedException">The table does not exist, or the read failed.</exception>
    public static async Task<T?> GetOrNullAsync<T>(this TableClient table, string partitionKey, string rowKey, IEnumerable<string>? select = null,
        CancellationToken cancellationToken = default)
        where T : class, ITableEntity
    {
        var response = await table.GetEntityIfExistsAsync<T>(partitionKey, rowKey, select, cancellationToken);
        if (response.HasValue) return response.Value;
        var raw = response.GetRawResponse();
        var code = ErrorCode(raw);
        return code == "ResourceNotFound"
            ? null
            : throw new RequestFailedException(raw.Status, $"Table '{table.Name}': {raw.Status} {code}".TrimEnd(), code, null);
    }

    /// <summary>The x-ms-error-code header, else the code in the Table service's JSON error body.</summary>
    private static string? ErrorCode(Response response)
    {
        if (response.Headers.TryGetValue("x-ms-error-code", out var header)) return header;
        try
        {
            using var json = JsonDocument.Parse(response.Content.ToMemory());
            return json.RootElement.TryGetProperty("odata.error", out var error) && error.TryGetProperty("code", out var code) ? code.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
