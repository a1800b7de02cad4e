namespace Loyalty.Core.Validation;

/// <summary>
/// A client mistake: a stable machine-readable <paramref name="Code"/>, the <paramref name="Path"/> of the
/// offending field (e.g. <c>lines[2].quantity</c>, empty for the whole object) and a human message.
/// The API maps these to RFC 7807 problem details with field errors.
/// </summary>
public sealed record ValidationError(string Code, string Path, string Message);
