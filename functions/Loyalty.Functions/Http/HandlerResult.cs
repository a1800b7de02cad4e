using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Loyalty.Functions.Http;

/// <summary>
/// The ASP.NET Core integration writes an <see cref="IActionResult"/> returned by an HTTP function, but not an
/// <see cref="IResult"/> (its FunctionsHttpProxyingMiddleware only handles IActionResult and HttpResponseData).
/// The handlers in Loyalty.Api return <see cref="IResult"/>, so this executes one against the request's HttpContext,
/// exactly as the minimal-API host does.
/// </summary>
public sealed class HandlerResult(IResult result) : IActionResult
{
    public IResult Result { get; } = result;

    public Task ExecuteResultAsync(ActionContext context) => Result.ExecuteAsync(context.HttpContext);

    public static async Task<IActionResult> From(Task<IResult> handler) => new HandlerResult(await handler);
}
