using Loyalty.Testing;
using System.Net;
using System.Text.RegularExpressions;
using Loyalty.Core.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Loyalty.Api.Tests;

/// <summary>
/// The "Scopes per route" table of docs/api.md is the specification: every route of the API has a row, and a key of
/// each scope gets 403 exactly where the row says so. Requests carry made-up ids and an empty body, so an allowed key
/// gets 400 or 404 (or 200 for a listing), never 401 or 403.
/// </summary>
public sealed class ScopeTableTests(LoyaltyApiFactory factory) : IClassFixture<LoyaltyApiFactory>
{
    private static readonly Scope[] Columns = [Scope.Pos, Scope.Store, Scope.Marketing, Scope.Admin];

    private sealed record Row(string Method, string Path, string? With, bool[] Allowed)
    {
        public string Route => $"{Method} {Path}";
        public override string ToString() => With is null ? Route : $"{Route} with {With}";
    }

    [Fact]
    public void Every_route_of_the_api_has_a_row_and_every_row_a_route()
    {
        var documented = Table().Select(row => row.Route).ToHashSet();
        var served = factory.Services.GetServices<EndpointDataSource>()
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.RoutePattern.RawText?.StartsWith("/api/v1/", StringComparison.Ordinal) == true)
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(method => $"{method} {endpoint.RoutePattern.RawText!["/api/v1".Length..].TrimEnd('/')}"))
            .ToHashSet();

        Assert.True(served.SetEquals(documented),
            $"Routes without a row in docs/api.md: [{string.Join(", ", served.Except(documented).Order())}]; rows without a route: " +
                $"[{string.Join(", ", documented.Except(served).Order())}].");
    }

    [Fact]
    public async Task Each_scope_gets_403_exactly_where_the_table_says()
    {
        var (programId, _) = await factory.NewProgramAsync();
        var clients = new Dictionary<Scope, HttpClient>();
        foreach (var scope in Columns)
            clients[scope] = await factory.ClientForAsync(programId, scope);

        var wrong = new List<string>();
        foreach (var row in Table())
        {
            for (var i = 0; i < Columns.Length; i++)
            {
                using var response = await clients[Columns[i]].SendAsync(Request(row));
                var refused = response.StatusCode == HttpStatusCode.Forbidden;
                if (refused == row.Allowed[i] || response.StatusCode == HttpStatusCode.Unauthorized)
                    wrong.Add($"{row} with a {Columns[i].ToString().ToLowerInvariant()} key: {(int)response.StatusCode}, the table says " +
                        $"{(row.Allowed[i] ? "yes" : "403")}");
            }
        }
        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    [Fact]
    public void The_table_says_store_may_do_whatever_pos_may_and_admin_whatever_a_key_may()
    {
        foreach (var row in Table())
        {
            Assert.True(!row.Allowed[0] || row.Allowed[1], $"{row}: pos may, store may not.");
            Assert.True(!row.Allowed.Any(a => a) || row.Allowed[3], $"{row}: some key may, admin may not.");
        }
    }

    /// <summary>Made-up ids in the path; an empty JSON object, or just the field the row is about, as the body.</summary>
    private static HttpRequestMessage Request(Row row)
    {
        var path = Regex.Replace(row.Path, @"\{[^}]+\}", "zz9plural");
        var request = new HttpRequestMessage(new HttpMethod(row.Method), $"/api/v1{path}");
        if (row.Method is "POST" or "PUT" or "PATCH")
            request.Content = Json.Body(row.With is null ? "{}" : $$"""{"{{row.With}}":"zz9plural"}""");
        return request;
    }

    private static List<Row> Table()
    {
        var lines = Repo.Read("docs/api.md").Split('\n');
        var start = Array.FindIndex(lines, line => line.StartsWith("| route | pos | store | marketing | admin |", StringComparison.Ordinal));
        Assert.True(start >= 0, "docs/api.md has no table headed | route | pos | store | marketing | admin |.");
        var rows = new List<Row>();
        foreach (var line in lines.Skip(start + 2).TakeWhile(line => line.StartsWith('|')))
        {
            var cells = line.Trim().Trim('|').Split('|').Select(cell => cell.Trim()).ToArray();
            var route = Regex.Match(cells[0], @"^`(?<method>GET|POST|PUT|PATCH|DELETE) (?<path>/[^`\s]*)`(?: with `(?<with>\w+)`)?");
            Assert.True(route.Success && cells.Length == 5, $"docs/api.md scope table: cannot read the row {line}");
            Assert.All(cells[1..], cell => Assert.Contains(cell, new[] { "yes", "403" }));
            rows.Add(new Row(route.Groups["method"].Value, route.Groups["path"].Value,
                route.Groups["with"].Success ? route.Groups["with"].Value : null, [.. cells[1..].Select(cell => cell == "yes")]));
        }
        Assert.NotEmpty(rows);
        return rows;
    }
}
