using System.Reflection;
using Loyalty.Core.Application;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Tests;

/// <summary>Every error code says what kind of refusal it is where it is defined, so no code falls to a default status.</summary>
public class ErrorKindTests
{
    /// <summary>The classes that define error codes: <see cref="ErrorCodes"/>, <see cref="ApplicationErrors"/> and any later one named alike.</summary>
    private static IEnumerable<FieldInfo> CodeConstants() =>
        from type in typeof(ErrorCodes).Assembly.GetTypes()
        where type.Name.EndsWith("ErrorCodes", StringComparison.Ordinal) || type.Name.EndsWith("Errors", StringComparison.Ordinal)
        from field in type.GetFields(BindingFlags.Public | BindingFlags.Static)
        where field.IsLiteral && field.FieldType == typeof(string)
        select field;

    [Fact]
    public void Every_error_code_defined_in_core_declares_its_kind()
    {
        var constants = CodeConstants().ToList();
        Assert.Contains(constants, f => f.DeclaringType == typeof(ErrorCodes));
        Assert.Contains(constants, f => f.DeclaringType == typeof(ApplicationErrors));
        Assert.All(constants, f => Assert.True(f.GetCustomAttribute<KindAttribute>() is not null, $"{f.DeclaringType!.Name}.{f.Name} declares no [Kind]."));
        Assert.All(constants, f => Assert.NotNull(ErrorKinds.Of((string)f.GetRawConstantValue()!)));
    }

    [Fact]
    public void No_code_is_defined_twice()
    {
        var codes = CodeConstants().Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void The_kind_travels_with_the_error()
    {
        Assert.Equal(ErrorKind.NotFound, new ValidationError(ApplicationErrors.MemberNotFound, "", "").Kind);
        Assert.Equal(ErrorKind.Conflict, new ValidationError(ErrorCodes.VoucherNotOpen, "", "").Kind);
        Assert.Equal(ErrorKind.Invalid, new ValidationError(ErrorCodes.Required, "", "").Kind);
        Assert.Equal(ErrorKind.Busy, new ValidationError(ApplicationErrors.Busy, "", "").Kind);
        Assert.Equal(ErrorKind.RateLimited, new ValidationError(ApplicationErrors.RateLimited, "", "").Kind);
        Assert.Null(new ValidationError("nobody.defined_this", "", "").Kind);
    }
}
