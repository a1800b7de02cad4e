using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Loyalty.Api.Endpoints;
using Loyalty.Core.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Loyalty.Api.Tests;

/// <summary>The OpenAPI document describes every route as it behaves: parameters, security, and numbers as numbers.</summary>
public sealed class OpenApiDocumentTests(LoyaltyApiFactory factory) : IClassFixture<LoyaltyApiFactory>
{
    /// <summary>The API's routes as the host serves them: method, path template and endpoint name.</summary>
    internal static List<(string Method, string Path, string Name)> ApiRoutes(IServiceProvider services) =>
        services.GetServices<EndpointDataSource>()
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.RoutePattern.RawText?.StartsWith(Routes.Prefix + "/", StringComparison.Ordinal) == true)
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(method =>
                (method, endpoint.RoutePattern.RawText!.TrimEnd('/'), endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? "")))
            .ToList();

    [Fact]
    public void The_local_host_maps_every_route_of_the_table_and_nothing_else()
    {
        var names = ApiRoutes(factory.Services).Select(route => route.Name).ToHashSet();
        Assert.Empty(names.Where(name => !Routes.ByName.ContainsKey(name)).Order());
        Assert.Empty(Routes.ByName.Keys.Where(name => !names.Contains(name)).Order());
    }

    [Fact]
    public async Task Every_route_appears_with_its_method_parameters_and_security()
    {
        var document = await DocumentAsync();
        var missing = new List<string>();
        foreach (var (method, path, name) in ApiRoutes(factory.Services))
        {
            var operation = document["paths"]?[path]?[method.ToLowerInvariant()];
            if (operation is null)
            {
                missing.Add($"{method} {path}: no operation");
                continue;
            }
            var parameters = (operation["parameters"]?.AsArray() ?? []).Select(p => ((string)p!["in"]!, (string)p["name"]!)).ToHashSet();
            foreach (Match value in Regex.Matches(path, @"\{(?<name>\w+)\}"))
                if (!parameters.Contains(("path", value.Groups["name"].Value))) missing.Add($"{method} {path}: path parameter {value.Groups["name"].Value}");
            if (!Routes.ByName.TryGetValue(name, out var route)) continue;
            var contract = route.Contract;
            foreach (var parameter in contract.Parameters ?? [])
                if (!parameters.Contains((parameter.In.ToString().ToLowerInvariant(),
                    parameter.Name))) missing.Add($"{method} {path}: {parameter.In} {parameter.Name}");

            var security = (operation["security"]?.AsArray() ?? []).Select(requirement => requirement!.AsObject().Single())
                .ToDictionary(scheme => scheme.Key, scheme => scheme.Value!.AsArray().Select(s => (string)s!).Order().ToList());
            var expected = new Dictionary<string, List<string>>();
            if (contract.Keys != Scope.None) expected["ApiKey"] = (contract.Keys | Scope.Admin).Names().Order().ToList();
            if (contract.Member) expected["Bearer"] = [];
            if (security.Count != expected.Count || expected.Any(e => !security.TryGetValue(e.Key, out var scopes) || !scopes.SequenceEqual(e.Value)))
                missing.Add($"{method} {path}: security {Show(security)}, expected {Show(expected)}");
        }
        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing));
        Assert.NotNull(document["components"]?["securitySchemes"]?["ApiKey"]);
        Assert.Equal("X-Api-Key", (string)document["components"]!["securitySchemes"]!["ApiKey"]!["name"]!);
        Assert.Equal("bearer", (string)document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!);
    }

    [Fact]
    public async Task No_schema_says_a_number_may_be_a_string()
    {
        var offenders = new List<string>();
        Walk(await DocumentAsync(), "$", offenders);
        Assert.True(offenders.Count == 0, string.Join(Environment.NewLine, offenders));
    }

    /// <summary>The scopes in the document are the ones the handlers enforce: a key of each scope is refused (403) exactly where the contract says.</summary>
    [Fact]
    public async Task The_documented_scopes_are_the_enforced_ones()
    {
        var (programId, _) = await factory.NewProgramAsync();
        var clients = new Dictionary<Scope, HttpClient>();
        foreach (var scope in new[] { Scope.Pos, Scope.Store, Scope.Marketing, Scope.Admin })
            clients[scope] = await factory.ClientForAsync(programId, scope);

        var wrong = new List<string>();
        foreach (var (method, path, name) in ApiRoutes(factory.Services))
        {
            var contract = Routes.ByName[name].Contract;
            if (contract.Anonymous) continue;
            foreach (var (scope, client) in clients)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), Regex.Replace(path, @"\{\w+\}", "x"));
                if (method is "POST" or "PUT" or "PATCH") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                var status = (await client.SendAsync(request)).StatusCode;
                var allowed = contract.Keys != Scope.None && scope.Allows(contract.Keys);
                if ((status == HttpStatusCode.Forbidden) == allowed || status == HttpStatusCode.Unauthorized)
                    wrong.Add($"{method} {path} with a {scope} key: {(int)status}, documented {(allowed ? "allowed" : "forbidden")}");
            }
        }
        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    [Fact]
    public async Task The_functions_app_generates_the_document_the_local_host_serves()
    {
        var served = (await DocumentAsync()).AsObject();
        served.Remove("servers"); // from the request, which the Functions app's generation has none of
        var generated = JsonNode.Parse(await ApiDocument.WriteJsonAsync(CancellationToken.None))!;
        Assert.True(JsonNode.DeepEquals(served, generated),
            $"Served: {served.ToJsonString()[..300]}…{Environment.NewLine}Generated: {generated.ToJsonString()[..300]}…");
    }

    private async Task<JsonNode> DocumentAsync()
    {
        var response = await factory.CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static void Walk(JsonNode? node, string path, List<string> offenders)
    {
        switch (node)
        {
            case JsonObject schema:
                var types = schema["type"] switch
                {
                    JsonArray many => many.Select(t => (string)t!).ToList(),
                    JsonValue one => [(string)one!],
                    _ => [],
                };
                if (types.Contains("string") && (types.Contains("integer") || types.Contains("number")))
                    offenders.Add($"{path}: type [{string.Join(", ", types)}]{(schema["pattern"] is { } pattern ? $" pattern {pattern}" : "")}");
                foreach (var (key, child) in schema) Walk(child, $"{path}.{key}", offenders);
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++) Walk(array[i], $"{path}[{i}]", offenders);
                break;
        }
    }

    private static string Show(Dictionary<string, List<string>> security) =>
        "{" + string.Join("; ", security.Select(s => $"{s.Key}: [{string.Join(", ", s.Value)}]")) + "}";
}
