using Loyalty.Api.Http;
using Microsoft.AspNetCore.Mvc;
using Xunit;

namespace Loyalty.Api.Tests;

/// <summary>Problems the host writes itself get our types; the handlers' problems keep theirs.</summary>
public sealed class ProblemClassificationTests
{
    [Theory]
    [InlineData(400, Problems.MalformedBodyType)]
    [InlineData(404, Problems.NotFoundType)]
    [InlineData(405, Problems.MethodNotAllowedType)]
    [InlineData(408, Problems.MalformedBodyType)]
    [InlineData(413, Problems.BodyTooLargeType)]
    [InlineData(415, Problems.UnsupportedMediaType)]
    [InlineData(500, Problems.InternalType)]
    [InlineData(502, Problems.InternalType)]
    public void A_host_problem_gets_the_type_of_its_status(int status, string type)
    {
        var problem = new ProblemDetails { Status = status, Type = "https://tools.ietf.org/html/rfc9110#section-15.5.5" };

        Problems.Classify(problem);

        Assert.Equal(type, problem.Type);
        Assert.False(string.IsNullOrEmpty(problem.Detail));
    }

    [Fact]
    public void A_handler_problem_keeps_its_type_and_detail()
    {
        var problem = new ProblemDetails { Status = 404, Type = Problems.ConflictType, Detail = "as written" };

        Problems.Classify(problem);

        Assert.Equal((Problems.ConflictType, "as written"), (problem.Type, problem.Detail));
    }
}
