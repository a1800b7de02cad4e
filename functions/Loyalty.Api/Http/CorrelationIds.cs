using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Loyalty.Api.Http;

/// <summary>
/// Every request gets a correlation id: the caller's <c>X-Correlation-Id</c> when it sends a sane one,
/// otherwise the trace id. It is echoed in the response and put in the logging scope, so a store's
/// support ticket can quote one id that finds every log line of that request. Both hosts use it: the local host as
/// ASP.NET Core middleware (<see cref="UseCorrelationIds"/>), the Functions app from its worker middleware.
/// </summary>
public static class CorrelationIds
{
    public const string Header = "X-Correlation-Id";
    public const string LoggerName = "Loyalty.Requests";

    public static IApplicationBuilder UseCorrelationIds(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerName);
            using (Begin(context, logger))
                await next(context);
        });

    /// <summary>Answers the request's correlation id in the response header and opens the logging scope that carries it.</summary>
    public static IDisposable? Begin(HttpContext context, ILogger logger)
    {
        var offered = context.Request.Headers[Header].ToString();
        var id = IsSane(offered) ? offered : Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        context.Response.Headers[Header] = id;
        return logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = id });
    }

    private static bool IsSane(string value) =>
        value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
