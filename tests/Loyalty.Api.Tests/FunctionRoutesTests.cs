using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Loyalty.Api.Tests;

/// <summary>
/// The Azure Functions app (not compiled here) declares the same HTTP routes as the local host: its
/// [HttpTrigger(...)] attributes, read as text, against the local host's endpoint data source.
/// </summary>
public sealed class FunctionRoutesTests(LoyaltyApiFactory factory) : IClassFixture<LoyaltyApiFactory>
{
    [Fact]
    public void The_functions_app_serves_exactly_the_routes_of_the_local_host()
    {
        var local = factory.Services.GetServices<EndpointDataSource>()
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(method => Route(method, endpoint.RoutePattern.RawText!)))
            .ToHashSet();
        Assert.NotEmpty(local);

        var functions = HttpTriggers().SelectMany(trigger => trigger.Methods.Select(method => Route(method, $"/{RoutePrefix()}/{trigger.Route}"))).ToList();
        Assert.True(functions.Count == functions.Distinct().Count(), "Two HTTP functions declare the same method and route.");

        var missing = local.Except(functions).Order().ToList();
        var extra = functions.Except(local).Order().ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"Routes of the local host without an HTTP function: [{string.Join(", ", missing)}]; HTTP functions the local host lacks: [{string.Join(", ", extra)}].");
    }

    [Fact]
    public void Every_http_function_is_anonymous_and_binds_its_route_values()
    {
        var triggers = HttpTriggers();
        Assert.NotEmpty(triggers);
        foreach (var trigger in triggers)
        {
            // The handlers authenticate API keys themselves; a function key on top would lock every client out.
            Assert.True(trigger.Level == "Anonymous", $"{trigger.Route} in {trigger.File} is AuthorizationLevel.{trigger.Level}.");
            Assert.False(trigger.Route.StartsWith("api/", StringComparison.Ordinal), $"{trigger.Route}: the host adds the route prefix itself.");
            foreach (Match value in Regex.Matches(trigger.Route, @"\{(?<name>[A-Za-z_][A-Za-z0-9_]*)[^}]*\}"))
                Assert.True(Regex.IsMatch(trigger.Signature, $@"\bstring\s+{value.Groups["name"].Value}\b"),
                    $"{trigger.Route} in {trigger.File}: the function takes no string parameter '{value.Groups["name"].Value}'.");
        }
    }

    private static string Route(string method, string path) => $"{method.ToUpperInvariant()} {path.TrimEnd('/')}";

    /// <summary>extensions.http.routePrefix in host.json, "api" when absent (the Functions default).</summary>
    private static string RoutePrefix()
    {
        using var host = JsonDocument.Parse(Repo.Read("host.json"));
        return host.RootElement.TryGetProperty("extensions", out var extensions) &&
               extensions.TryGetProperty("http", out var http) &&
               http.TryGetProperty("routePrefix", out var prefix)
            ? prefix.GetString()!.Trim('/')
            : "api";
    }

    private sealed record HttpTrigger(string File, string Level, IReadOnlyList<string> Methods, string Route, string Signature);

    /// <summary>
    /// Every <c>[HttpTrigger(AuthorizationLevel.X, "get", "post", Route = "v1/…")]</c> in the Functions sources, with the rest
    /// of its method signature (up to the body) for checking route-value parameters.
    /// </summary>
    private static List<HttpTrigger> HttpTriggers() =>
        FunctionsSource.Files().SelectMany(file =>
            Regex.Matches(file.Text, @"\[HttpTrigger\((?<args>[^\]]*)\)\]").Select(m =>
            {
                var args = m.Groups["args"].Value;
                var route = Regex.Match(args, @"Route\s*=\s*""(?<route>[^""]*)""");
                Assert.True(route.Success, $"An HTTP trigger in {file.File} has no Route: ({args}).");
                var end = file.Text.IndexOf("=>", m.Index, StringComparison.Ordinal) is var arrow and >= 0 ? arrow : file.Text.IndexOf('{', m.Index + m.Length);
                return new HttpTrigger(
                    file.File,
                    Regex.Match(args, @"AuthorizationLevel\.(?<level>\w+)").Groups["level"].Value,
                    Regex.Matches(args[..route.Index], @"""(?<method>[A-Za-z]+)""").Select(method => method.Groups["method"].Value).ToList(),
                    route.Groups["route"].Value,
                    file.Text[(m.Index + m.Length)..Math.Max(end, m.Index + m.Length)]);
            }))
        .ToList();
}
