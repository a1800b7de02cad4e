using Loyalty.Core.Application;
using Loyalty.Core.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Loyalty.Api.Http;

/// <summary>Turns application results into HTTP answers: the value as JSON, or a problem whose status follows from the errors' kinds.</summary>
public static class Outcomes
{
    public static IResult Ok<T>(Result<T> result) => From(result, value => Results.Json(value, JsonBody.Options));

    public static IResult Created<T>(Result<T> result, Func<T, string> location) =>
        From(result, value => Results.Json(value, JsonBody.Options, statusCode: StatusCodes.Status201Created, contentType: null)
            .WithHeader("Location", location(value)));

    /// <summary>
    /// The path of a resource under the API's base path, each segment percent-encoded: ids are checked against the id
    /// grammar long before, but a header value that cannot be written would fail a request whose change is already saved.
    /// </summary>
    public static string Location(params string[] segments) =>
        $"{Endpoints.Routes.Prefix}/{string.Join('/', segments.Select(Uri.EscapeDataString))}";

    public static IResult From<T>(Result<T> result, Func<T, IResult> onSuccess) =>
        result.IsValid ? onSuccess(result.Value) : Problem(result.Errors);

    /// <exception cref="InvalidOperationException">An error's code declares no kind: a bug, answered 500 rather than guessed.</exception>
    public static IResult Problem(IReadOnlyList<ValidationError> errors)
    {
        var first = errors[0];
        var kinds = errors.Select(e => e.Kind ?? throw new InvalidOperationException($"Error code '{e.Code}' declares no kind; give its constant a [Kind]."))
            .ToHashSet();
        if (kinds.Contains(ErrorKind.NotFound))
            return Problems.NotFound(first.Message);
        if (kinds.Contains(ErrorKind.Busy))
            return Problems.Busy(first.Message);
        if (kinds.Contains(ErrorKind.RateLimited))
            return TooManyRequests(errors, null);
        // A valid request that the member's or program's current state refuses: retrying the same request will not help,
        // but the client did nothing malformed, so 409 rather than 400.
        var problem = kinds.Contains(ErrorKind.Conflict)
            ? new ProblemDetails { Status = StatusCodes.Status409Conflict, Type = Problems.ConflictType, Title = "Conflict.", Detail = first.Message }
            : new HttpValidationProblemDetails(errors.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()))
            {
                Status = StatusCodes.Status400BadRequest,
                Type = Problems.ValidationType,
                Title = "The request is not valid.",
                Detail = errors.Count == 1 ? first.Message : $"{errors.Count} problems; see 'errors'.",
            };
        return Results.Problem(WithViolations(problem, errors));
    }

    /// <summary>A rate limit: 429 with its error code (<c>auth.rate_limited</c>) and, when known, Retry-After.</summary>
    public static IResult TooManyRequests(IReadOnlyList<ValidationError> errors, TimeSpan? retryAfter) =>
        Problems.TooManyRequests(WithViolations(new ProblemDetails { Detail = errors[0].Message }, errors), retryAfter);

    // Machine-readable twins of the messages: clients switch on codes, people read messages.
    private static ProblemDetails WithViolations(ProblemDetails problem, IReadOnlyList<ValidationError> errors)
    {
        problem.Extensions["violations"] = errors.Select(e => new { e.Code, e.Path, e.Message }).ToArray();
        return problem;
    }

    /// <summary>The same answer with one more response header (Location of a new member, Retry-After of a 429).</summary>
    public static IResult WithHeader(this IResult result, string name, string value) => new HeaderResult(result, name, value);

    private sealed class HeaderResult(IResult inner, string name, string value) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers[name] = value;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
