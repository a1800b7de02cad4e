using System.Text.Json;
using System.Text.RegularExpressions;
using Loyalty.Api.Endpoints;
using Loyalty.Testing;
using Xunit;

namespace Loyalty.Functions.Tests;

/// <summary>What the Functions host will index, read from the SDK-generated functions.metadata, against the API's route table.</summary>
public sealed partial class FunctionsMetadataTests
{
    /// <summary>
    /// HTTP functions for what the local host's pipeline answers rather than its route table: the OpenAPI document (at
    /// /api/openapi/v1.json, the local host's /openapi/v1.json under the Functions route prefix) and the catch-all that
    /// answers our 404 and 405 problems.
    /// </summary>
    private static readonly string[] HostFunctions = ["OpenApiDocument", "NoRoute"];

    [Fact]
    public void The_http_functions_are_the_routes_of_the_table_under_the_same_names()
    {
        var local = TableRoutes();
        Assert.NotEmpty(local);
        var prefix = RoutePrefix();
        var functions = FunctionsMetadata.OfTrigger("httpTrigger")
            .Where(f => !HostFunctions.Contains(f.Name))
            .SelectMany(f => f.Trigger.Strings("methods").Select(method => (f.Name, Route: Route(method, $"/{prefix}/{f.Trigger.String("route")}"))))
            .ToList();
        Assert.True(functions.Count == functions.Select(f => f.Route).Distinct().Count(), "Two HTTP functions declare the same method and route.");

        var missing = local.Except(functions).Order().ToList();
        var extra = functions.Except(local).Order().ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"Routes of the table without an HTTP function of its name: [{string.Join(", ", missing)}]; HTTP functions the table lacks: " +
                $"[{string.Join(", ", extra)}].");
    }

    [Fact]
    public void Every_http_function_is_anonymous_and_binds_its_route_values()
    {
        var http = FunctionsMetadata.OfTrigger("httpTrigger").ToList();
        Assert.NotEmpty(http);
        foreach (var function in http)
        {
            var route = function.Trigger.String("route") ?? "";
            // The handlers authenticate API keys themselves; a function key on top would lock every client out.
            Assert.True(function.Trigger.String("authLevel") == "Anonymous", $"{function.Name} is {function.Trigger.String("authLevel")}.");
            Assert.False(route.StartsWith("api/", StringComparison.Ordinal), $"{function.Name}: the host adds the route prefix itself.");
            var parameters = function.Method.GetParameters().Where(p => p.ParameterType == typeof(string)).Select(p => p.Name).ToHashSet();
            foreach (Match value in RouteValue().Matches(route))
                Assert.True(parameters.Contains(value.Groups["name"].Value),
                    $"{function.Name} ({route}) takes no string parameter '{value.Groups["name"].Value}'.");
        }
    }

    [Fact]
    public void The_only_catch_all_takes_every_method_and_no_other_function_omits_its_methods()
    {
        var http = FunctionsMetadata.OfTrigger("httpTrigger").ToList();
        Assert.Contains(http, f => f.Name == "OpenApiDocument" && f.Trigger.String("route") == "openapi/v1.json");
        // Without methods the host routes every method to it; literal segments and parameters of the others win over {*path}.
        var catchAll = Assert.Single(http, f => f.Trigger.String("route")!.Contains('*', StringComparison.Ordinal) || f.Trigger.Strings("methods").Count == 0);
        Assert.Equal(("NoRoute", "{*path}"), (catchAll.Name, catchAll.Trigger.String("route")));
        Assert.Empty(catchAll.Trigger.Strings("methods"));
    }

    [Fact]
    public void Every_entry_point_is_a_method_of_the_app()
    {
        Assert.NotEmpty(FunctionsMetadata.All);
        foreach (var function in FunctionsMetadata.All)
            Assert.NotNull(function.Method);
    }

    private static HashSet<(string Name, string Route)> TableRoutes() =>
        Routes.All.Select(route => (route.Name, Route(route.Method, Routes.Prefix + route.Path))).ToHashSet();

    private static string Route(string method, string path) => $"{method.ToUpperInvariant()} {path.TrimEnd('/')}";

    /// <summary>extensions.http.routePrefix in host.json, "api" when absent (the Functions default).</summary>
    internal static string RoutePrefix()
    {
        using var host = JsonDocument.Parse(Repo.Read("host.json"));
        return host.RootElement.TryGetProperty("extensions", out var extensions) &&
               extensions.TryGetProperty("http", out var http) &&
               http.TryGetProperty("routePrefix", out var prefix)
            ? prefix.GetString()!.Trim('/')
            : "api";
    }

    [GeneratedRegex(@"\{(?<name>[A-Za-z_][A-Za-z0-9_]*)[^}]*\}")]
    private static partial Regex RouteValue();
}
