using Loyalty.Core.Validation;

namespace Loyalty.Core.Application;

/// <summary>The refusals every member-facing service gives in the same words.</summary>
internal static class Refusals
{
    public static Result<T> ProgramNotFound<T>(string programId) =>
        Result<T>.Fail(ApplicationErrors.ProgramNotFound, "", $"There is no program '{programId}'.");

    public static Result<T> MemberNotFound<T>() => Result<T>.Fail(ApplicationErrors.MemberNotFound, "", "There is no such member in this program.");
}
