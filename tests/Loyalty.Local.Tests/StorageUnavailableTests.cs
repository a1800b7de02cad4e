using System.Text.Json;
using Azure;
using Loyalty.Api.Http;
using Loyalty.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Loyalty.Local.Tests;

/// <summary>Storage that stays unavailable after the SDKs' retries reaches HTTP callers as a 503 problem, never a 500.</summary>
public sealed class StorageUnavailableTests
{
    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    [InlineData(0)]
    public async Task Throttling_and_network_failures_are_a_busy_problem_with_retry_after_and_no_sdk_text(int status)
    {
        var (handler, http, body) = Handler();
        var error = new RequestFailedException(
            status, "Service request failed.\nStatus: 503 (Server Busy)\nHeaders:\nx-ms-request-id: secret-ish", "ServerBusy", null);

        Assert.True(await handler.TryHandleAsync(http, error, default));

        Assert.Equal(503, http.Response.StatusCode);
        Assert.Equal("5", http.Response.Headers.RetryAfter.ToString());
        body.Position = 0;
        using var problem = await JsonDocument.ParseAsync(body);
        Assert.Equal(Problems.BusyType, problem.RootElement.GetProperty("type").GetString());
        Assert.DoesNotContain("Server", System.Text.Encoding.UTF8.GetString(body.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_failures_are_left_to_the_internal_error_handling()
    {
        var (handler, http, _) = Handler();

        Assert.False(await handler.TryHandleAsync(http, new RequestFailedException(404, "not found", "TableNotFound", null), default));
        Assert.False(await handler.TryHandleAsync(http, new InvalidOperationException("a bug"), default));
    }

    private static (StorageUnavailableHandler, HttpContext, MemoryStream) Handler()
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddProblemDetails(options => options.CustomizeProblemDetails = context => Problems.Classify(context.ProblemDetails))
            .BuildServiceProvider();
        var body = new MemoryStream();
        var http = new DefaultHttpContext { RequestServices = services, Response = { Body = body } };
        return (new StorageUnavailableHandler(services.GetRequiredService<Microsoft.AspNetCore.Http.IProblemDetailsService>(),
            NullLogger<StorageUnavailableHandler>.Instance), http, body);
    }
}
