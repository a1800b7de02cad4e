using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Loyalty.Core.Access;
using Loyalty.Hosting;
using Loyalty.Local.Workers;
using Loyalty.Storage.Repositories;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Loyalty.Api.Tests;

/// <summary>
/// The host with a known member-token key (so the test can sign in as a member), its background jobs off (so storage
/// changes only by requests) and every error it logs captured, to name the exception behind a 500.
/// </summary>
public sealed class HostileInputFactory : LoyaltyApiFactory
{
    public const string SigningKey = "hostile-input-tests-signing-key-0123456789";

    public ConcurrentQueue<string> Errors { get; } = new();

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["MemberTokens:SigningKey"] = SigningKey,
        [JobWorkerSettings.Nightly.EnabledKey] = "false",
        [JobWorkerSettings.Campaigns.EnabledKey] = "false",
        [ReceiptWorkerOptions.Section + ":Enabled"] = "false",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(new ErrorCapture(Errors)));
    }

    private sealed class ErrorCapture(ConcurrentQueue<string> errors) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) errors.Enqueue(exception is null
                ? formatter(state, exception) : $"{exception.GetType().Name}: {exception.Message} at " +
                    $"{exception.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}");
        }

        public void Dispose()
        {
        }
    }
}

/// <summary>
/// Every operation of the OpenAPI document (so routes added later are covered too) gets generated malformed and hostile
/// input: odd path ids, query values, bodies, content types, keys and headers. Each answer must be below 500, a 4xx must
/// be one of our problem documents, and storage must hold exactly what it held before.
/// </summary>
public sealed class HostileInputTests(HostileInputFactory factory) : IClassFixture<HostileInputFactory>
{
    private const int Seed = 20_261_204;
    private const int MaxCasesPerOperation = 90;

    /// <summary>Ids no entity can have, each a different way to break a parser, a key or a log line.</summary>
    private static readonly string[] HostileIds =
    [
        "a\u0001b", "\u0000", "line\r\nbreak", "åäö-ø-😀", new('m', 100_000), "\u200B\u2060\uFEFF", "../..", "%00", " ", "a/b", "'; drop table--",
        "\uFFFF", "x".PadRight(129, 'y'),
    ];

    private static readonly string[] HostileQueryValues =
        ["abc", "-1", "0", "1e3", "99999999999", "2147483648", "1.5", "\u0000", new('z', 10_000), "!!!", "eyJ4IjoxfQ", "%zz", "åäö", ""];

    private static readonly string[] WholeBodies =
    [
        "not json", "", "null", "[]", "\"text\"", "42", "{\"a\":", "{\"unknownField\":1}", new string('[', 5_000) + new string(']', 5_000),
        "{\"a\":" + new string('{', 300) + new string('}', 300) + "}", "\uFEFF{}", "{\"x\":\"\\ud800\"}", "{} {}", "{\"a\":1}garbage",
        "{\"k\":\"" + new string('x', 300_000) + "\"}",
    ];

    private static readonly string[] HostileContentTypes =
    [
        "text/plain", "application/json; charset=utf-16", "application/json; charset=iso-8859-1", "application/json; charset=bogus",
        "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/jsonx", "application/json; charset=\"\"",
        "*/*", "application/*",
    ];

    private static readonly string[] HostileKeys = ["lf_x_y", "lf_" + new string('a', 10_000), "lf__", "not-a-key", "lf_ÿ_ÿ", "lf_a_b_c"];

    private static readonly string[] HostileAuthorizations = ["Bearer garbage", "Bearer a.b.c", "Bearer " + new string('t', 10_000), "Basic YTpi",
        "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."];

    [Fact]
    public async Task Hostile_input_on_every_route_is_refused_with_a_problem_and_stores_nothing()
    {
        var (programId, admin) = await factory.NewProgramAsync(Scope.Admin);
        var pos = await factory.ClientForAsync(programId, Scope.Pos);
        var enrolled = await admin.PostAsync("/api/v1/members", Json.Body("""{"firstName":"Fuzz","email":"fuzz@example.com"}"""));
        Assert.Equal(HttpStatusCode.Created, enrolled.StatusCode);
        var memberId = (string)(await MemberApiTests.Body(enrolled))["profile"]!["memberId"]!;
        // A key's first use records when it was last used; that write belongs before the snapshot.
        Assert.Equal(HttpStatusCode.OK, (await pos.GetAsync($"/api/v1/members/{memberId}")).StatusCode);
        var member = factory.CreateClient();
        member.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            new MemberTokenSigner(new MemberTokenKeys(HostileInputFactory.SigningKey))
                .Issue(programId, memberId, DateTimeOffset.UtcNow, TimeSpan.FromHours(1)));
        var clients = new Dictionary<string, HttpClient> { ["admin"] = admin, ["pos"] = pos, ["member"] = member, ["anonymous"] = factory.CreateClient() };

        var document = JsonNode.Parse(await factory.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        var cases = Cases(document, memberId).ToList();
        Assert.InRange(cases.Count, 500, 4_000);

        var before = await SnapshotAsync();
        var offenders = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        var unsendable = 0;
        var accepted = new List<string>();
        factory.Errors.Clear();
        foreach (var hostile in cases)
        {
            using var request = hostile.ToRequest();
            HttpResponseMessage response;
            try
            {
                response = await clients[hostile.Client].SendAsync(request);
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or FormatException)
            {
                unsendable++; // the client itself refuses to send such a header or URL: no server can receive it either
                continue;
            }
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var problem = await ProblemTypeAsync(response);
            var errors = new List<string>();
            while (factory.Errors.TryDequeue(out var error)) errors.Add(error);
            if (status < 300) accepted.Add($"{hostile} -> {status}");
            if (status >= 500 || status >= 400 && problem?.StartsWith("urn:loyalty-functions:problem:", StringComparison.Ordinal) != true || errors.Count > 0)
                offenders.Add($"{hostile} -> {status} " +
                    $"{problem ?? "(no problem document)"}{string.Concat(errors.Select(e => Environment.NewLine + "      logged: " + e))}");
        }
        var after = await SnapshotAsync();

        var stored = after.Except(before).Select(entity => "stored: " + entity)
            .Concat(before.Except(after).Select(entity => "changed or removed: " + entity)).ToList();
        Assert.True(offenders.Count == 0 && stored.Count == 0,
            $"{cases.Count} hostile requests (seed {Seed}), {unsendable} the client would not send, answers " +
                $"{string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}"))}.{Environment.NewLine}" +
            $"{offenders.Count} offending requests:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", offenders)}{Environment.NewLine}" +
            $"{stored.Count} storage changes:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", stored)}{Environment.NewLine}" +
            $"Accepted (2xx, fine if nothing was stored):{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", accepted)}");
    }

    private static async Task<string?> ProblemTypeAsync(HttpResponseMessage response)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") return null;
        try
        {
            return (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())?["type"];
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Every entity of every table of this host, with its ETag: a request that stored or changed anything shows up. Except
    /// the per-address rate counters of member verification: counting refused attempts is what they are for.
    /// </summary>
    private async Task<HashSet<string>> SnapshotAsync()
    {
        var storage = factory.Services.GetRequiredService<LoyaltyStorage>();
        var tables = typeof(LoyaltyResources).GetProperties()
            .Where(p => p.PropertyType == typeof(string) && !p.Name.EndsWith("Queue", StringComparison.Ordinal)
                && !p.Name.EndsWith("Container", StringComparison.Ordinal))
            .Select(p => (string)p.GetValue(storage.Names)!);
        var entities = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in tables)
            await foreach (var entity in storage.Account.GetTable(table).QueryAsync<Azure.Data.Tables.TableEntity>())
                if (!(table == storage.Names.MemberAuth && entity.PartitionKey.Contains("|addr|", StringComparison.Ordinal)))
                    entities.Add($"{table} {entity.PartitionKey} / {entity.RowKey} {entity.ETag}");
        return entities;
    }

    /// <summary>The requests for every operation of the document, at most <see cref="MaxCasesPerOperation"/> each, picked by a fixed seed.</summary>
    private static IEnumerable<HostileRequest> Cases(JsonNode document, string memberId)
    {
        var random = new Random(Seed);
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var security = (operation!["security"]?.AsArray() ?? []).Select(r => r!.AsObject().Single()).ToList();
                if (security.Count == 0) continue; // anonymous: nothing to refuse
                var keyScopes = security.Where(s => s.Key == "ApiKey").SelectMany(s => s.Value!.AsArray().Select(v => (string)v!)).ToList();
                var caller = keyScopes.Count > 0 ? "admin" : "member";
                var all = ForOperation(document, method.ToUpperInvariant(), path, operation, caller, memberId).ToList();
                if (keyScopes.Contains("pos"))
                    all.AddRange(ForOperation(document, method.ToUpperInvariant(), path, operation, "pos", memberId).Where(c => c.Body is not null).Take(10));
                if (keyScopes.Count > 0 && security.Any(s => s.Key == "Bearer"))
                    all.AddRange(ForOperation(document, method.ToUpperInvariant(), path, operation, "member", memberId).Take(10));
                foreach (var one in all.OrderBy(_ => random.Next()).Take(MaxCasesPerOperation))
                    yield return one;
            }
        }
    }

    private static IEnumerable<HostileRequest> ForOperation(JsonNode document, string method, string path, JsonNode operation, string caller, string memberId)
    {
        var parameters = (operation["parameters"]?.AsArray() ?? []).Select(p => (In: (string)p!["in"]!, Name: (string)p["name"]!)).ToList();
        var pathNames = parameters.Where(p => p.In == "path").Select(p => p.Name).ToList();
        var bodySchema = operation["requestBody"]?["content"]?["application/json"]?["schema"];
        var takesBody = bodySchema is not null || method is "POST" or "PUT" or "PATCH";
        // A read of a real member by an admin key is (rightly) recorded in the audit trail; reads go to a member that does not exist.
        string Url(Func<string, string> value, string query = "") =>
            Regex.Replace(path, @"\{(\w+)\}", m => Uri.EscapeDataString(value(m.Groups[1].Value))) + query;
        string Existing(string name) => name == "memberId" && takesBody ? memberId : name == "memberId" ? "nobody1" : "x1";
        var emptyBody = takesBody ? "{}" : null;

        foreach (var name in pathNames)
            foreach (var id in HostileIds)
                yield return new(caller, method, Url(n => n == name ? id : Existing(n)), emptyBody, takesBody ? "application/json" : null, []);

        foreach (var (_, name) in parameters.Where(p => p.In == "query"))
            foreach (var value in HostileQueryValues.Concat(name == "memberId" ? HostileIds : []))
            {
                var others = string.Concat(parameters.Where(p => p.In == "query" && p.Name != name && p.Name == "memberId").Select(p => $"&{p.Name}=nobody1"));
                yield return new(caller, method, Url(Existing, $"?{name}={Uri.EscapeDataString(value)}{others}"), emptyBody, takesBody
                    ? "application/json" : null, []);
            }

        foreach (var (_, name) in parameters.Where(p => p.In == "header"))
            foreach (var value in new[] { new string('r', 201), "a\u0001b", "\u00e5\u00e4\u00f6" + new string('x', 300) })
                yield return new(caller, method, Url(n => n == "memberId" ? memberId : Existing(n)), emptyBody, takesBody ? "application/json" : null,
                    [(name, value)]);

        if (caller != "member")
        {
            foreach (var key in HostileKeys)
                yield return new("anonymous", method, Url(n => n == "memberId" ? memberId : Existing(n)), emptyBody, takesBody ? "application/json" : null,
                    [("X-Api-Key", key)]);
            foreach (var authorization in HostileAuthorizations)
                yield return new("anonymous", method, Url(n => n == "memberId" ? memberId : Existing(n)), emptyBody, takesBody ? "application/json" : null,
                    [("Authorization", authorization)]);
        }

        if (!takesBody) yield break;
        var url = Url(Existing);
        foreach (var contentType in HostileContentTypes)
            yield return new(caller, method, url, "{}", contentType, []);
        yield return new(caller, method, url, "{}", null, []);
        foreach (var body in WholeBodies)
            yield return new(caller, method, url, body, "application/json", []);
        foreach (var body in FieldBodies(document, bodySchema))
            yield return new(caller, method, url, body, "application/json", []);
    }

    /// <summary>
    /// One field at a time set to something no field of its type accepts, or to a string no client should send; alone, so
    /// every body lacks what a valid one needs as well and nothing can be stored even where a value slips through.
    /// </summary>
    private static IEnumerable<string> FieldBodies(JsonNode document, JsonNode? schema)
    {
        var properties = Resolve(document, schema)?["properties"]?.AsObject();
        if (properties is null) yield break;
        const string junk = """{"a":[{"b":{"c":[[[null,true,{"d":"\u0000"}]]]}}],"$ref":"#/x"}""";
        foreach (var (name, property) in properties)
        {
            var resolved = Resolve(document, property);
            var types = resolved?["type"] switch
            {
                JsonArray many => many.Select(t => (string)t!).ToList(),
                JsonValue one => [(string)one!],
                _ => ["object"],
            };
            IEnumerable<string> values = types.Contains("string")
                ? ["1e12", "-1", "1e309", "true", junk, "[[[\"x\"]]]", "\"\\u0000\\u0001\"", $"\"{new string('x', 100_000)}\"", "\"\\u200b\\u2060\"",
                    "\"\\ud800\"", "\"\\n\\r\\t\""]
                : types.Contains("integer") || types.Contains("number")
                    ? ["\"12\"", "\"1e12\"", "1e309", "-1e309", "1e12", "-1", "1.5", "1e-400", "true", junk, "99999999999999999999999999999"]
                    : types.Contains("boolean")
                        ? ["\"true\"", "1", junk]
                        : ["42", "\"junk\"", "true", junk];
            foreach (var value in values)
                yield return $"{{\"{name}\":{value}}}";
            yield return $"{{\"{name}\":{values.First()},\"{name}\":{values.First()}}}";
        }
    }

    private static JsonNode? Resolve(JsonNode document, JsonNode? schema)
    {
        for (var depth = 0; depth < 8 && schema?["$ref"] is JsonValue reference; depth++)
            schema = document["components"]?["schemas"]?[((string)reference!).Split('/')[^1]];
        return schema;
    }

    private sealed record HostileRequest(string Client, string Method, string Url, string? Body, string? ContentType,
        IReadOnlyList<(string Name, string Value)> Headers)
    {
        public HttpRequestMessage ToRequest()
        {
            var request = new HttpRequestMessage(new HttpMethod(Method), Url);
            if (Body is not null)
            {
                request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body));
                if (ContentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
            foreach (var (name, value) in Headers)
                request.Headers.TryAddWithoutValidation(name, value);
            return request;
        }

        public override string ToString() =>
            $"[{Client}] {Method} {Short(Url)}{(ContentType is null ? "" : $" ({ContentType})")}{(Body is null ? "" : $" body {Short(Body)}")}" +
            string.Concat(Headers.Select(h => $" {h.Name}: {Short(h.Value)}"));

        private static string Short(string value)
        {
            var shown = value.Length <= 100 ? value : $"{value[..60]}…({value.Length:N0} chars)…{value[^20..]}";
            return Regex.Replace(shown, @"[\p{C}]", m => $"\\u{(int)m.Value[0]:x4}");
        }
    }
}
