namespace Loyalty.Core.Validation;

/// <summary>Collects errors while validating so a client sees every mistake at once, not one per round trip.</summary>
internal sealed class ErrorList
{
    private List<ValidationError>? errors;

    public bool Any => errors is { Count: > 0 };

    public IReadOnlyList<ValidationError> Items => errors ?? (IReadOnlyList<ValidationError>)[];

    public void Add(string code, string path, string message) => (errors ??= []).Add(new ValidationError(code, path, message));

    public void AddRange(IEnumerable<ValidationError> more) => (errors ??= []).AddRange(more);

    /// <summary>Row and partition keys in Table Storage forbid these characters, and ids end up in keys.</summary>
    public void Identifier(string? value, string path, int maxLength = 100)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(ErrorCodes.Required, path, $"{path} is required.");
        }
        else if (value.Length > maxLength || value.AsSpan().IndexOfAny(ForbiddenInIds) >= 0 || value.Any(char.IsControl))
        {
            Add(ErrorCodes.InvalidIdentifier, path, $"{path} must be 1–{maxLength} characters without '/', '\\', '#', '?' or control characters.");
        }
    }

    private static readonly System.Buffers.SearchValues<char> ForbiddenInIds = System.Buffers.SearchValues.Create("/\\#?");
}
