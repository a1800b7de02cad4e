using Loyalty.Api.Http;
using Loyalty.Core.Application;
using Loyalty.Core.Validation;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Loyalty.Api.Tests;

/// <summary>An error's kind, declared with its code, decides the status; a code without one is a bug, never a 400.</summary>
public sealed class OutcomeStatusTests
{
    [Theory]
    [InlineData(ErrorCodes.Required, StatusCodes.Status400BadRequest)]
    [InlineData(ApplicationErrors.MemberNotFound, StatusCodes.Status404NotFound)]
    [InlineData(ErrorCodes.VoucherNotOpen, StatusCodes.Status409Conflict)]
    [InlineData(ApplicationErrors.Busy, StatusCodes.Status503ServiceUnavailable)]
    [InlineData(ApplicationErrors.RateLimited, StatusCodes.Status429TooManyRequests)]
    public void The_kind_of_the_code_decides_the_status(string code, int status) =>
        Assert.Equal(status, Status(Outcomes.Problem([new ValidationError(code, "", "Refused.")])));

    [Fact]
    public void Not_found_wins_over_conflict_and_conflict_over_invalid()
    {
        Assert.Equal(StatusCodes.Status404NotFound, Status(Outcomes.Problem(
            [new ValidationError(ErrorCodes.VoucherNotOpen, "", "a"), new ValidationError(ApplicationErrors.MemberNotFound, "", "b")])));
        Assert.Equal(StatusCodes.Status409Conflict, Status(Outcomes.Problem(
            [new ValidationError(ErrorCodes.Required, "x", "a"), new ValidationError(ErrorCodes.VoucherNotOpen, "", "b")])));
    }

    [Fact]
    public void A_code_without_a_kind_is_refused_loudly_not_answered_400()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Outcomes.Problem([new ValidationError("nobody.defined_this", "", "Refused.")]));
        Assert.Contains("nobody.defined_this", error.Message, StringComparison.Ordinal);
    }

    private static int? Status(IResult result) => Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode;
}
