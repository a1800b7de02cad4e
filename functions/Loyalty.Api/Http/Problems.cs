using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Loyalty.Api.Http;

/// <summary>
/// The RFC 7807 problem types this API returns. Each <c>type</c> is a stable URN that clients may
/// switch on; <c>docs/api.md</c> lists them. URNs, not URLs, so nothing depends on a docs host staying up.
/// </summary>
public static class Problems
{
    public const string ValidationType = "urn:loyalty-functions:problem:validation";
    public const string MalformedBodyType = "urn:loyalty-functions:problem:malformed-body";
    public const string BodyTooLargeType = "urn:loyalty-functions:problem:body-too-large";
    public const string UnsupportedMediaType = "urn:loyalty-functions:problem:unsupported-media-type";
    public const string UnauthenticatedType = "urn:loyalty-functions:problem:unauthenticated";
    public const string ForbiddenType = "urn:loyalty-functions:problem:forbidden";
    public const string NotFoundType = "urn:loyalty-functions:problem:not-found";
    public const string ConflictType = "urn:loyalty-functions:problem:conflict";
    public const string BusyType = "urn:loyalty-functions:problem:busy";
    public const string TooManyRequestsType = "urn:loyalty-functions:problem:too-many-requests";
    public const string MethodNotAllowedType = "urn:loyalty-functions:problem:method-not-allowed";
    public const string InternalType = "urn:loyalty-functions:problem:internal";

    private const string OurTypes = "urn:loyalty-functions:problem:";

    public static IResult Validation(IReadOnlyDictionary<string, string[]> errors, string? detail = null) =>
        Results.Problem(new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value))
        {
            Type = ValidationType,
            Title = "The request is not valid.",
            Status = StatusCodes.Status400BadRequest,
            Detail = detail ?? "See 'errors' for what to correct.",
        });

    public static IResult MalformedBody(string detail) =>
        Create(StatusCodes.Status400BadRequest, MalformedBodyType, "The request body could not be read.", detail);

    /// <param name="path">The field, e.g. <c>lines[2].quantity</c>; "" for the body as a whole.</param>
    public static IResult Field(string path, string detail) =>
        Validation(new Dictionary<string, string[]> { [path] = [detail] }, "The request body does not match the contract.");

    public static IResult BodyTooLarge(long limit) =>
        Create(StatusCodes.Status413PayloadTooLarge, BodyTooLargeType, "The request body is too large.",
            $"Request bodies on this endpoint are limited to {limit:N0} bytes.");

    public static IResult UnsupportedMedia() =>
        Create(StatusCodes.Status415UnsupportedMediaType, UnsupportedMediaType, "Unsupported content type.",
            "Send the body as application/json in UTF-8 (no charset, or charset=utf-8).");

    public static IResult Unauthenticated(string detail) =>
        Create(StatusCodes.Status401Unauthorized, UnauthenticatedType, "Authentication required.", detail);

    public static IResult Forbidden(string detail) =>
        Create(StatusCodes.Status403Forbidden, ForbiddenType, "Not allowed.", detail);

    public static IResult NotFound(string detail) =>
        Create(StatusCodes.Status404NotFound, NotFoundType, "Not found.", detail);

    public static IResult Conflict(string detail) =>
        Create(StatusCodes.Status409Conflict, ConflictType, "Conflict.", detail);

    public static IResult Busy(string detail) =>
        Create(StatusCodes.Status503ServiceUnavailable, BusyType, "Busy, try again.", detail);

    /// <param name="problem">The problem with its error codes (<c>violations</c>), as <see cref="Outcomes.Problem"/> builds it.</param>
    /// <param name="retryAfter">When the limit lifts, sent as Retry-After; null when the caller cannot know.</param>
    public static IResult TooManyRequests(ProblemDetails problem, TimeSpan? retryAfter)
    {
        var result = Results.Problem(Classified(problem, StatusCodes.Status429TooManyRequests, TooManyRequestsType, "Too many requests."));
        return retryAfter is { } wait
            ? result.WithHeader("Retry-After", Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture))
            : result;
    }

    /// <summary>The problem a host answers by itself for <paramref name="status"/> (no route, wrong method, our own bug), typed by <see
    /// cref="Classify"/>.</summary>
    public static IResult OfHost(int status)
    {
        var problem = new ProblemDetails { Status = status };
        Classify(problem);
        return Results.Problem(problem);
    }

    private static IResult Create(int status, string type, string title, string detail) =>
        Results.Problem(new ProblemDetails { Status = status, Type = type, Title = title, Detail = detail });

    /// <summary>
    /// Gives a problem the host wrote itself (no route, wrong method, a malformed request, our own bug) the type of its
    /// status, so clients can switch on our types for every error. Problems the handlers wrote keep theirs.
    /// </summary>
    public static void Classify(ProblemDetails problem)
    {
        if (problem.Type?.StartsWith(OurTypes, StringComparison.Ordinal) == true) return;
        var status = problem.Status ?? StatusCodes.Status500InternalServerError;
        (problem.Type, problem.Title, var detail) = status switch
        {
            StatusCodes.Status400BadRequest => (MalformedBodyType, "The request could not be read.", "The request is not well-formed HTTP for this API."),
            StatusCodes.Status401Unauthorized => (UnauthenticatedType, "Authentication required.", "Send your API key in the X-Api-Key header."),
            StatusCodes.Status403Forbidden => (ForbiddenType, "Not allowed.", "The caller may not do this."),
            StatusCodes.Status404NotFound => (NotFoundType, "Not found.", "There is no such route; the API is under /api/v1 (see /openapi/v1.json)."),
            StatusCodes.Status405MethodNotAllowed => (MethodNotAllowedType, "Method not allowed.",
            "This route does not take this HTTP method (see /openapi/v1.json)."),
            StatusCodes.Status413PayloadTooLarge => (BodyTooLargeType, "The request body is too large.",
            $"Request bodies are limited to {JsonBody.DefaultLimit:N0} bytes."),
            StatusCodes.Status415UnsupportedMediaType => (UnsupportedMediaType, "Unsupported content type.", "Send the body as application/json in UTF-8."),
            StatusCodes.Status429TooManyRequests => (TooManyRequestsType, "Too many requests.", "Slow down and retry later."),
            StatusCodes.Status503ServiceUnavailable => (BusyType, "Busy, try again.", "The service is busy; retry."),
            >= 400 and < 500 => (MalformedBodyType, "The request could not be handled.", "The request is not valid for this API."),
            // Never the exception's text: it may carry personal data or internals.
            _ => (InternalType, "Internal error.", "Something went wrong on our side; retry later or report the correlation id."),
        };
        problem.Detail ??= detail;
    }

    private static ProblemDetails Classified(ProblemDetails problem, int status, string type, string title)
    {
        problem.Status = status;
        problem.Type = type;
        problem.Title = title;
        return problem;
    }
}
