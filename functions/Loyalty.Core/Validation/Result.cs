namespace Loyalty.Core.Validation;

/// <summary>Either a value or the validation errors that prevented it. Client mistakes travel as values, never as exceptions.</summary>
public sealed class Result<T>
{
    private readonly T? value;

    private Result(T? value, IReadOnlyList<ValidationError> errors)
    {
        this.value = value;
        Errors = errors;
    }

    /// <summary>Empty when the operation succeeded.</summary>
    public IReadOnlyList<ValidationError> Errors { get; }

    public bool IsValid => Errors.Count == 0;

    /// <summary>The value; asking for it after a failure is a programming error, hence the exception.</summary>
    public T Value => IsValid
        ? value!
        : throw new InvalidOperationException($"The operation failed: {string.Join("; ", Errors.Select(e => $"{e.Path}: {e.Code}"))}");

    /// <summary>
    /// A success always carries a value: a null here is a bug (typically a "try again" null that slipped through the
    /// implicit conversion below and would otherwise read as success), so it fails loudly.
    /// </summary>
    public static Result<T> Ok(T value) => value is null
        ? throw new ArgumentNullException(nameof(value), "A successful result needs a value.") : new(value, []);

    public static Result<T> Fail(IReadOnlyList<ValidationError> errors) =>
        errors.Count == 0 ? throw new ArgumentException("A failure needs at least one error.", nameof(errors)) : new(default, errors);

    public static Result<T> Fail(string code, string path, string message) => new(default, [new ValidationError(code, path, message)]);

    public static implicit operator Result<T>(T value) => Ok(value);
}
