using Loyalty.Api.Http;
using Loyalty.Hosting;
using Loyalty.Storage.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace Loyalty.Functions.Http;

/// <summary>
/// For HTTP invocations, what the local host's UseCorrelationIds and UseExceptionHandler do: the correlation id in the
/// response and the logging scope, and an exception a handler did not catch answered with our <c>internal</c> problem
/// (never the exception's text) instead of the worker's bare 500, or with a 503 and Retry-After when storage stayed
/// unavailable after the SDKs' retries. It runs inside the ASP.NET Core integration's own middleware, which then writes
/// the result set here as it writes a function's.
/// </summary>
public sealed class HttpProblemsMiddleware(ILogger<HttpProblemsMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is not { } http)
        {
            await next(context);
            return;
        }

        if (await RunAsync(http, context.FunctionDefinition.Name, () => next(context), logger) is { } problem)
            context.GetInvocationResult().Value = problem;
    }

    /// <summary>Runs one HTTP invocation; returns the answer to write instead of its result when it threw.</summary>
    public static async Task<IActionResult?> RunAsync(HttpContext http, string function, Func<Task> invocation, ILogger logger)
    {
        using (CorrelationIds.Begin(http, logger))
        {
            try
            {
                await invocation();
                return null;
            }
            catch (Exception e) when (!http.Response.HasStarted && !http.RequestAborted.IsCancellationRequested && StorageFailures.IsUnavailable(e))
            {
                logger.LogWarning("{Function}: storage unavailable after retries ({Error}); answered 503.", function, StorageFailures.Describe(e));
                return new HandlerResult(Problems.OfHost(StatusCodes.Status503ServiceUnavailable)
                    .WithHeader("Retry-After", StorageUnavailableHandler.RetryAfterSeconds));
            }
            catch (Exception e) when (!http.Response.HasStarted && !http.RequestAborted.IsCancellationRequested)
            {
                logger.LogError(e, "{Function} failed; answered with an internal problem.", function);
                return new HandlerResult(Problems.OfHost(StatusCodes.Status500InternalServerError));
            }
        }
    }
}
