using System.Reflection;
using Loyalty.Api.Endpoints;
using Loyalty.Api.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Azure.Functions.Worker;

namespace Loyalty.Functions.Http;

/// <summary>
/// What the local host's pipeline answers besides the API's routes: the OpenAPI document, and problem documents for a
/// path no function serves (404) or a method its route does not take (405) instead of the Functions host's empty 404.
/// </summary>
public sealed class HostFunctions
{
    private static readonly Lazy<Task<string>> Document = new(() => ApiDocument.WriteJsonAsync(CancellationToken.None));

    private static readonly Lazy<IReadOnlyList<(TemplateMatcher Route, string[] Methods)>> ApiRoutes = new(FindApiRoutes);

    /// <summary>At /api/openapi/v1.json: the Functions host serves functions only under its route prefix.</summary>
    [Function("OpenApiDocument")]
    public async Task<IActionResult> OpenApi([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi/v1.json")] HttpRequest req) =>
        new ContentResult { Content = await Document.Value, ContentType = "application/json; charset=utf-8", StatusCode = StatusCodes.Status200OK };

    /// <summary>
    /// Every path under the route prefix that no other function takes. The Functions host routes as ASP.NET Core does,
    /// literal segments and parameters before a catch-all, so this only sees what would otherwise be the host's empty 404,
    /// including a known route called with a method it does not take.
    /// </summary>
    [Function("NoRoute")]
    public IActionResult NoRoute([HttpTrigger(AuthorizationLevel.Anonymous, Route = "{*path}")] HttpRequest req, string? path)
    {
        var allowed = ApiRoutes.Value
            .Where(route => route.Route.TryMatch(new PathString("/" + (path ?? "").TrimEnd('/')), new RouteValueDictionary()))
            .SelectMany(route => route.Methods)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (allowed.Count == 0)
            return new HandlerResult(Problems.OfHost(StatusCodes.Status404NotFound));
        req.HttpContext.Response.Headers.Allow = string.Join(", ", allowed.Select(m => m.ToUpperInvariant()).Order(StringComparer.Ordinal));
        return new HandlerResult(Problems.OfHost(StatusCodes.Status405MethodNotAllowed));
    }

    /// <summary>The routes and methods of this app's other HTTP functions, read from their triggers as the Functions host reads them.</summary>
    private static IReadOnlyList<(TemplateMatcher Route, string[] Methods)> FindApiRoutes() =>
    [
        .. typeof(HostFunctions).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .SelectMany(method => method.GetParameters())
            .Select(parameter => parameter.GetCustomAttribute<HttpTriggerAttribute>())
            .OfType<HttpTriggerAttribute>()
            .Where(trigger => trigger.Route is { } route && trigger.Methods is { Length: > 0 })
            .Select(trigger => (new TemplateMatcher(TemplateParser.Parse(trigger.Route!), new RouteValueDictionary()), trigger.Methods!)),
    ];
}
