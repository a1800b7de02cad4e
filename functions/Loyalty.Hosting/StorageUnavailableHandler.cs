using System.Globalization;
using Loyalty.Storage.Errors;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Loyalty.Hosting;

/// <summary>
/// Storage that stays throttled or unreachable after the SDKs' retries (<see cref="StorageFailures.IsUnavailable"/>) is
/// not our bug and not the caller's: a 503 problem with Retry-After, typed by the host's problem classification, instead
/// of a 500. The SDKs' messages quote responses over several lines, so only the one-line description is logged and
/// nothing of it is answered.
/// </summary>
public sealed class StorageUnavailableHandler(IProblemDetailsService problems, ILogger<StorageUnavailableHandler> logger) : IExceptionHandler
{
    public static string RetryAfterSeconds => ((int)Math.Ceiling(StorageFailures.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!StorageFailures.IsUnavailable(exception)) return false;
        logger.LogWarning("{Path}: storage unavailable after retries ({Error}); answered 503.", httpContext.Request.Path, StorageFailures.Describe(exception));
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = StatusCodes.Status503ServiceUnavailable },
        });
    }
}
