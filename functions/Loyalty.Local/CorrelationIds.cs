using System.Diagnostics;

namespace Loyalty.Local;

/// <summary>
/// Every request gets a correlation id: the caller's <c>X-Correlation-Id</c> when it sends a sane one,
/// otherwise the trace id. It is echoed in the response and put in the logging scope, so a store's
/// support ticket can quote one id that finds every log line of that request.
/// </summary>
internal static class CorrelationIds
{
    public const string Header = "X-Correlation-Id";

    public static IApplicationBuilder UseCorrelationIds(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var offered = context.Request.Headers[Header].ToString();
            var id = IsSane(offered) ? offered : Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
            context.Response.Headers[Header] = id;
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Loyalty.Requests");
            using (logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = id }))
                await next(context).ConfigureAwait(false);
        });

    private static bool IsSane(string value) =>
        value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
