using Loyalty.Core.Validation;

namespace Loyalty.Cli;

/// <summary>How every command reports what went wrong: on standard error, validation errors one per line, exit code 1.</summary>
internal static class Failure
{
    public static int Fail(object problem)
    {
        var message = problem is IReadOnlyList<ValidationError> errors
            ? string.Join(Environment.NewLine, errors.Select(e => $"  {(e.Path.Length > 0 ? e.Path + ": " : "")}{e.Message} ({e.Code})"))
            : problem.ToString();
        Console.Error.WriteLine($"error:{Environment.NewLine}{message}");
        return 1;
    }
}
