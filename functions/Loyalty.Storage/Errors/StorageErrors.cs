using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using Azure;

namespace Loyalty.Storage.Errors;

/// <summary>Turns an error response into the matching <see cref="StorageException"/>.</summary>
internal static class StorageErrors
{
    public static StorageException FromResponse(Response response)
    {
        var (code, serviceMessage) = Read(response);
        var requestId = response.Headers.TryGetValue("x-ms-request-id", out var id) ? id : null;
        return Create(response.Status, code, serviceMessage, requestId);
    }

    private static StorageException Create(int status, string? code, string? serviceMessage, string? requestId)
    {
        var message = Describe(status, code, serviceMessage);
        return status switch
        {
            404 => new StorageNotFoundException(status, code, message, requestId),
            412 => new StoragePreconditionFailedException(status, code, message, requestId),
            409 when code is "UpdateConditionNotSatisfied" or "ConditionNotMet" =>
                new StoragePreconditionFailedException(status, code, message, requestId),
            409 => new StorageConflictException(status, code, message, requestId),
            429 or 503 => new StorageThrottledException(status, code, message, requestId),
            408 or >= 500 => new StorageTransientException(status, code, message, requestId),
            _ => new StorageException(status, code, message, requestId),
        };
    }

    /// <summary>The error code alone: the x-ms-error-code header when present, so the body is not parsed.</summary>
    public static string? Code(Response response) =>
        response.Headers.TryGetValue("x-ms-error-code", out var code) ? code : Read(response).Code;

    /// <summary>Reads the error code (x-ms-error-code header, else the body) and the service's message.</summary>
    public static (string? Code, string? Message) Read(Response response)
    {
        var code = response.Headers.TryGetValue("x-ms-error-code", out var header) ? header : null;
        string? message = null;
        var body = response.Content;
        if (!body.IsEmpty)
        {
            try
            {
                var (bodyCode, bodyMessage) = body.ToMemory().Span[0] == (byte)'{' ? ReadJson(body) : ReadXml(body);
                code ??= bodyCode;
                message = bodyMessage;
            }
            catch (Exception e) when (e is JsonException or XmlException)
            {
                // An unparseable error body (a proxy's HTML page, say) still yields the status and header code.
            }
        }

        return (code, message);
    }

    /// <summary>Table service: {"odata.error":{"code":"…","message":{"lang":"en-US","value":"…"}}}.</summary>
    public static (string? Code, string? Message) ReadJson(BinaryData body)
    {
        using var document = JsonDocument.Parse(body);
        if (!document.RootElement.TryGetProperty("odata.error", out var error))
        {
            return (null, null);
        }

        var code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
        var message = error.TryGetProperty("message", out var m)
            ? m.ValueKind == JsonValueKind.Object && m.TryGetProperty("value", out var v) ? v.GetString() : m.GetString()
            : null;
        return (code, message);
    }

    // Blob and Queue: <Error><Code/><Message/>…</Error>. Only Code and Message are read: the
    // AuthenticationErrorDetail element of a 403 echoes the signature the request carried.
    private static (string? Code, string? Message) ReadXml(BinaryData body)
    {
        var root = XDocument.Load(body.ToStream()).Root;
        return (root?.Element("Code")?.Value, root?.Element("Message")?.Value);
    }

    public static string Describe(int status, string? code, string? serviceMessage)
    {
        // Services append "\nRequestId:…\nTime:…"; the request id has its own property.
        var firstLine = serviceMessage?.Split('\n', 2)[0].Trim();
        var text = code is "AuthenticationFailed" or "AuthorizationFailure" || status == 403
            ? "The request was not authorized: check the account key or the identity's role assignments."
            : firstLine;
        return string.IsNullOrEmpty(text) ? $"Storage request failed: {status} {code}".TrimEnd() : $"Storage request failed: {status} {code}: {text}";
    }
}
