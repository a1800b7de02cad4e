using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;

namespace Loyalty.Storage.InMemory;

/// <summary>What <see cref="InMemoryTableClient"/> answers behind its values: a status, and for a missing row the error code the service sends.</summary>
internal sealed class InMemoryResponse(int status, string? errorCode = null) : Response
{
    public static readonly Response Ok = new InMemoryResponse(200);
    public static readonly Response NotFound = new InMemoryResponse(404, "ResourceNotFound");

    private const string ErrorCodeHeader = "x-ms-error-code";

    public override int Status => status;
    public override string ReasonPhrase => "";
    public override Stream? ContentStream { get; set; }
    public override string ClientRequestId { get; set; } = "";

    public override void Dispose()
    {
    }

    protected override bool ContainsHeader(string name) => errorCode is not null && name == ErrorCodeHeader;

    protected override IEnumerable<HttpHeader> EnumerateHeaders() => errorCode is null ? [] : [new HttpHeader(ErrorCodeHeader, errorCode)];

    protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
    {
        value = ContainsHeader(name) ? errorCode : null;
        return value is not null;
    }

    protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
    {
        values = ContainsHeader(name) ? [errorCode!] : null;
        return values is not null;
    }
}
