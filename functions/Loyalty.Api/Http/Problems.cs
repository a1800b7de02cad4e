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
            "Send the body as application/json.");

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

    public static IResult TooManyRequests(string detail, TimeSpan retryAfter) =>
        Create(StatusCodes.Status429TooManyRequests, TooManyRequestsType, "Too many requests.", detail)
            .WithHeader("Retry-After", Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static IResult Create(int status, string type, string title, string detail) =>
        Results.Problem(new ProblemDetails { Status = status, Type = type, Title = title, Detail = detail });
}
