using System.Text.Json.Serialization;

namespace Loyalty.Core.Validation;

/// <summary>
/// A client mistake: a stable machine-readable <paramref name="Code"/>, the <paramref name="Path"/> of the
/// offending field (e.g. <c>lines[2].quantity</c>, empty for the whole object) and a human message.
/// The API maps these to RFC 7807 problem details with field errors, its status chosen by <see cref="Kind"/>.
/// </summary>
public sealed record ValidationError(string Code, string Path, string Message)
{
    /// <summary>What the code's definition declares it to be; null only for a code defined without a kind, which is a bug.</summary>
    /// <remarks>Left out of JSON: the code already says it, and written errors (the poison queue's) keep their shape.</remarks>
    [JsonIgnore]
    public ErrorKind? Kind => ErrorKinds.Of(Code);
}
