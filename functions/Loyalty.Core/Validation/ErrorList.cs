namespace Loyalty.Core.Validation;

/// <summary>Collects errors while validating so a client sees every mistake at once, not one per round trip.</summary>
internal sealed class ErrorList
{
    private List<ValidationError>? errors;

    public bool Any => errors is { Count: > 0 };

    public IReadOnlyList<ValidationError> Items => errors ?? (IReadOnlyList<ValidationError>)[];

    public void Add(string code, string path, string message) => (errors ??= []).Add(new ValidationError(code, path, message));

    public void AddRange(IEnumerable<ValidationError> more) => (errors ??= []).AddRange(more);

    /// <summary>An id in the one id grammar (<see cref="Ids"/>); ids end up in table keys, paths and headers.</summary>
    public void Identifier(string? value, string path, int maxLength = Ids.MaxLength)
    {
        if (string.IsNullOrEmpty(value))
            Add(ErrorCodes.Required, path, $"{path} is required.");
        else if (!Ids.IsValid(value, maxLength))
            Add(ErrorCodes.InvalidIdentifier, path, $"{path} must be 1–{maxLength} characters: {Ids.Alphabet}.");
    }

    /// <summary>
    /// Free text (<see cref="Texts"/>): at most <paramref name="maxLength"/> characters without control characters; text of
    /// only invisible characters is blank, which is <see cref="ErrorCodes.Required"/> unless <paramref name="required"/> is false.
    /// </summary>
    public void Text(string? value, string path, int maxLength, bool required = true)
    {
        if (Texts.IsBlank(value))
        {
            if (required) Add(ErrorCodes.Required, path, $"{path} is required (and must show something).");
        }
        else if (value!.Length > maxLength || !Texts.IsPrintable(value))
        {
            Add(ErrorCodes.OutOfRange, path, $"{path} is at most {maxLength} characters, without control characters.");
        }
    }
}
