using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Loyalty.Api.Endpoints;
using Loyalty.Api.Http;
using Loyalty.Core.Access;
using Loyalty.Core.Application.Campaigns;
using Loyalty.Core.Application.Demo;
using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Application.Ports;
using Loyalty.Functions.Http;
using Loyalty.Hosting;
using Loyalty.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Loyalty.Functions.Tests;

/// <summary>
/// Every HTTP function of functions.metadata called as the worker's ASP.NET Core integration calls it: the function
/// class made by the container Program.cs builds, over Azurite; a request on a <see cref="DefaultHttpContext"/>; the
/// invocation wrapped by <see cref="HttpProblemsMiddleware"/>; the returned result executed against the context.
/// One scenario walks every function's happy path in order (enrol, identify, …), one loop refuses every function a
/// caller without credentials, and every function must have been seen doing both.
/// </summary>
public sealed partial class HttpFunctionsTests : IAsyncLifetime
{
    private const string SigningKey = "functions-http-tests-signing-key-0123456789";

    /// <summary>Functions with nothing to refuse: anyone may read them.</summary>
    private static readonly string[] NothingToRefuse = ["Health", "OpenApiDocument"];

    /// <summary>The catch-all has no happy path: it answers what no route serves.</summary>
    private static readonly string[] OnlyRefuses = ["NoRoute"];

    private readonly IHost host = FunctionsHost.Build(new Dictionary<string, string?>
    {
        ["Storage:ConnectionString"] = Azurite.ConnectionString,
        ["Storage:Prefix"] = UniqueName.Table("fn"),
        ["MemberTokens:SigningKey"] = SigningKey,
        ["MemberAuth:PagesProgramId"] = DemoProgram.Id,
    });

    private readonly List<(string Function, int Status)> seen = [];
    private string adminKey = "";

    /// <summary>What a function's <c>[DurableClient]</c> parameter gets: the client of the job orchestrations running in-process.</summary>
    private DurableJobs jobs = null!;

    private enum Caller { Admin, Member, Nobody }

    private sealed record Answer(int Status, JsonNode? Json, IHeaderDictionary Headers, string Text);

    private IServiceProvider Backend => host.Services;

    public async Task InitializeAsync()
    {
        await Backend.Storage.EnsureCreatedAsync(CancellationToken.None);
        var keys = await Backend.Demo.SeedAsync(3, [], null, CancellationToken.None);
        adminKey = keys.Single(k => k.Scopes == Scope.Admin).Secret;
        jobs = await DurableJobs.StartAsync(host.Services);
    }

    public async Task DisposeAsync()
    {
        await jobs.DisposeAsync();
        host.Dispose();
    }

    [Fact]
    public async Task Every_http_function_answers_its_happy_path_and_refuses_a_caller_without_credentials()
    {
        await WalkHappyPathsAsync();

        var http = FunctionsMetadata.OfTrigger("httpTrigger").ToList();
        foreach (var function in http.Where(f => Routes.ByName.TryGetValue(f.Name, out var route) && !route.Contract.Anonymous))
        {
            var route = RouteValues().Matches(function.Trigger.String("route")!).ToDictionary(m => m.Groups["name"].Value, _ => "x1");
            var refused = await CallAsync(function.Name, StatusCodes.Status401Unauthorized, Caller.Nobody, route: route);
            Assert.Equal(Problems.UnauthenticatedType, (string?)refused.Json?["type"]);
        }

        var missing = http.Select(f => f.Name)
            .SelectMany(name => new[]
            {
                seen.Any(s => s.Function == name && s.Status is >= 200 and < 300) || OnlyRefuses.Contains(name) ? null : $"{name}: no happy path",
                seen.Any(s => s.Function == name && s.Status is >= 400 and < 500) || NothingToRefuse.Contains(name) ? null : $"{name}: no refusal",
            })
            .OfType<string>().ToList();
        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing));
    }

    [Fact]
    public async Task A_path_no_function_serves_is_a_not_found_problem_and_a_known_path_with_another_method_a_method_not_allowed()
    {
        var none = await CallAsync("NoRoute", StatusCodes.Status404NotFound, method: "GET", route: new() { ["path"] = "v1/nothing-here" });
        Assert.Equal(Problems.NotFoundType, (string?)none.Json?["type"]);
        var wrong = await CallAsync("NoRoute", StatusCodes.Status405MethodNotAllowed, method: "DELETE", route: new() { ["path"] = "v1/members/m1" });
        Assert.Equal(Problems.MethodNotAllowedType, (string?)wrong.Json?["type"]);
        Assert.Equal("GET, PATCH", wrong.Headers.Allow.ToString());
    }

    [Fact]
    public async Task The_openapi_function_describes_every_route_of_the_app()
    {
        var document = await CallAsync("OpenApiDocument", StatusCodes.Status200OK);
        Assert.Equal("application/json; charset=utf-8", document.Headers.ContentType.ToString());
        var paths = document.Json!["paths"]!.AsObject();
        var missing = FunctionsMetadata.OfTrigger("httpTrigger")
            .Where(f => Routes.ByName.ContainsKey(f.Name))
            .SelectMany(f => f.Trigger.Strings("methods").Select(method => (Method: method, Path: $"/api/{f.Trigger.String("route")}")))
            .Where(r => paths[r.Path]?[r.Method] is null)
            .Select(r => $"{r.Method} {r.Path}")
            .ToList();
        Assert.True(missing.Count == 0, $"Not in the document: {string.Join(", ", missing)}. Its paths: {string.Join(", ", paths.Select(p => p.Key))}");
    }

    [Fact]
    public async Task An_exception_in_a_function_is_an_internal_problem_under_the_callers_correlation_id_without_its_text()
    {
        var context = Context("GET", "/api/v1/health", null, Caller.Nobody);
        context.Request.Headers[CorrelationIds.Header] = "ticket-4711";
        var logger = host.Services.GetRequiredService<ILogger<HttpProblemsMiddleware>>();
        var result = await HttpProblemsMiddleware.RunAsync(context, "Health", () => throw new InvalidOperationException("secret member data"), logger);
        Assert.NotNull(result);
        var answer = await ExecuteAsync(context, result);
        Assert.Equal(StatusCodes.Status500InternalServerError, answer.Status);
        Assert.Equal(Problems.InternalType, (string?)answer.Json?["type"]);
        Assert.Equal("ticket-4711", answer.Headers[CorrelationIds.Header].ToString());
        Assert.DoesNotContain("secret", answer.Text, StringComparison.Ordinal);
    }

    /// <summary>The happy path of every API function, in an order where each finds what it needs: the docs/api.md examples' bodies.</summary>
    private async Task WalkHappyPathsAsync()
    {
        await CallAsync("Health", 200);
        await CallAsync("OpenApiDocument", 200);

        var member = Id(await CallAsync("EnrolMember", 201, body: new
        {
            firstName = "Astrid", lastName = "Lindgren", phone = "070-555 00 01", email = "astrid@example.com", consents = new { email = true, sms = false },
        }));
        var demoMember = Id(await CallAsync("IdentifyMember", 200, body: new { phone = Core.Application.Demo.DemoData.Phone(1) }));
        var m = new Dictionary<string, string> { ["memberId"] = member };
        await CallAsync("GetMember", 200, route: m);
        await CallAsync("UpdateMemberContact", 200, route: m, body: new { email = "astrid.new@example.com" });
        await CallAsync("LinkHousehold", 200, route: m, body: new { householdOf = demoMember });
        await CallAsync("SubmitReceipt", 200, body: Samples.Receipt("buy-0", new { memberId = member }, 13_000m));
        var chosen = await CallAsync("ChooseVoucher", 200, route: m, body: new { requestId = "till-1", value = 100 });
        var voucher = (string)chosen.Json!["vouchersIssued"]![0]!["id"]!;
        await CallAsync("RedeemVoucher", 200, route: new() { ["memberId"] = member, ["voucherId"] = voucher }, body: new { requestId = "till-2" });
        await CallAsync("ListMemberReceipts", 200, route: m);
        await CallAsync("ListMemberOffers", 200, route: m);
        await CallAsync("ListMemberOffers", 404, route: new() { ["memberId"] = "nobody" });
        await CallAsync("ListMemberLedger", 200, route: m);
        await CallAsync("ExportMember", 200, route: m);

        await CallAsync("RequestMemberCode", 202, body: new { phone = "070-555 00 01" });
        var token = (string)(await CallAsync("IssueMemberToken", 200, body: new { phone = "070-555 00 01", code = await CodeForAsync("+46705550001") }))
            .Json!["token"]!;
        await CallAsync("GetMe", 200, Caller.Member, token: token);
        await CallAsync("ListMyReceipts", 200, Caller.Member, token: token);
        await CallAsync("ListMyOffers", 200, Caller.Member, token: token);
        await CallAsync("ChooseMyVoucher", 200, Caller.Member, token: token, body: new { requestId = "app-1", value = 100 });
        await CallAsync("UpdateMe", 202, Caller.Member, token: token, body: new { phone = "070-555 00 02" });
        await CallAsync("ConfirmMyContact", 200, Caller.Member, token: token, body: new { phone = "070-555 00 02", code = await CodeForAsync("+46705550002") });
        await CallAsync("ExportMyData", 200, Caller.Member, token: token);
        await CallAsync("ListAudit", 200, query: $"?memberId={member}");

        // My pages' key-less sign-in, and the member erasing themself with its token.
        await CallAsync("RequestMyPagesCode", 400, Caller.Nobody, body: new { });
        await CallAsync("RequestMyPagesCode", 202, Caller.Nobody, body: new { phone = "070-555 00 09" });
        await CallAsync("RequestMyPagesCode", 202, Caller.Nobody, body: new { phone = "070-555 00 02" });
        await CallAsync("IssueMyPagesToken", 400, Caller.Nobody, body: new { });
        var pagesToken = (string)(await CallAsync("IssueMyPagesToken", 200, Caller.Nobody,
            body: new { phone = "070-555 00 02", code = await CodeForAsync("+46705550002") })).Json!["token"]!;

        // Returns parked before their purchase: the enrolment replays them and the account refuses them until it is there.
        await CallAsync("SubmitReceipt", 202, body: Samples.Receipt("ret-1", new { phone = "070-555 00 09" }, returnOf: "buy-1"));
        await CallAsync("SubmitReceipt", 202, body: Samples.Receipt("ret-2", new { phone = "070-555 00 09" }, returnOf: "never-sold"));
        var buyer = Id(await CallAsync("EnrolMember", 201, body: new { phone = "070-555 00 09" }));
        await CallAsync("SubmitReceipt", 200, body: Samples.Receipt("buy-1", new { memberId = buyer }));
        await CallAsync("ListParkedReceipts", 200);
        await CallAsync("RetryParkedReceipt", 200, route: new() { ["receiptId"] = "ret-1" });
        await CallAsync("DiscardParkedReceipt", 200, route: new() { ["receiptId"] = "ret-2" });

        var program = (await CallAsync("GetProgram", 200)).Json!["latest"]!.AsObject();
        program["version"] = (int)program["version"]! + 1;
        program["effectiveFrom"] = DateTimeOffset.UtcNow.ToString("O");
        await CallAsync("PublishProgramVersion", 200, body: program);

        var key = (string)(await CallAsync("CreateApiKey", 201, body: new { name = "store-12-tills", scopes = new[] { "pos" } })).Json!["keyId"]!;
        await CallAsync("ListApiKeys", 200);
        await CallAsync("GetApiKey", 200, route: new() { ["keyId"] = key });
        await CallAsync("RevokeApiKey", 200, route: new() { ["keyId"] = key });

        await CallAsync("CreateSegment", 201, body: JsonNode.Parse("""
            {"segmentId":"silver-quiet","name":"Silver, nothing bought in 60 days",
             "definition":{"tiers":["Silver"],"recency":{"days":{"min":60},"includeNeverPurchased":true}}}
            """));
        await CallAsync("ListSegments", 200);
        await CallAsync("PreviewSegment", 200, body: new { segmentId = "silver-quiet", exact = true });
        await CallAsync("CreateCampaign", 201, body: JsonNode.Parse("""
            {"campaignId":"win-back","name":"Win back","segmentId":"silver-quiet","offer":{"kind":"coupon","code":"COMEBACK"},
             "message":{"channel":"email","text":"Hi {firstName}, show {coupon} at the till."},
             "schedule":{"kind":"monthly","daysOfMonth":[1],"time":"10:00:00"}}
            """));
        var campaign = new Dictionary<string, string> { ["campaignId"] = "win-back" };
        await CallAsync("ListCampaigns", 200);
        await CallAsync("GetCampaign", 200, route: campaign);
        await CallAsync("ScheduleCampaign", 200, route: campaign);
        var run = (await CallAsync("RunCampaignNow", 202, route: campaign)).Headers.Location.ToString().Split('/')[^1];
        await FinishedAsync(CampaignFanOut.Key(new CampaignRun(DemoProgram.Id, "win-back", run)));
        var runProgress = await CallAsync("GetCampaignRun", 200, route: new() { ["campaignId"] = "win-back", ["runId"] = run });
        Assert.True((bool)runProgress.Json!["complete"]!);
        await CallAsync("GetCampaignStatistics", 200, route: campaign);
        await CallAsync("CancelCampaign", 200, route: campaign);

        // Yesterday in UTC has come in every time zone.
        var night = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        var date = new Dictionary<string, string> { ["date"] = night.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
        await CallAsync("RunNightlyReview", 202, route: date);
        await FinishedAsync(NightlyReview.Key(DemoProgram.Id, night));
        Assert.True((bool)(await CallAsync("GetNightlyReview", 200, route: date)).Json!["complete"]!);
        Assert.Equal(date["date"], (string?)(await CallAsync("GetProgramFigures", 200, query: "?days=7")).Json!["asOf"]);
        await CallAsync("GetProgramFigures", 400, query: "?days=0");

        await CallAsync("EraseMe", 400, Caller.Member, token: pagesToken, body: new { });
        await CallAsync("EraseMe", 200, Caller.Member, token: pagesToken, body: new { confirm = true });
        await CallAsync("EraseMember", 200, route: m, body: new { reason = "The member asked." });
        await CallAsync("EraseMe", 404, Caller.Member, token: pagesToken, body: new { confirm = true });
        await CallAsync("NoRoute", 404, method: "GET", route: new() { ["path"] = "v1/nothing-here" });
        await CallAsync("NoRoute", 405, method: "PUT", route: new() { ["path"] = $"v1/members/{member}" });
    }

    /// <summary>Calls one function as the worker would and checks the status it answers.</summary>
    private async Task<Answer> CallAsync(
        string function, int status, Caller caller = Caller.Admin, object? body = null, Dictionary<string, string>? route = null,
        string? query = null, string? method = null, string? token = null)
    {
        var metadata = FunctionsMetadata.All.Single(f => f.Name == function);
        var values = route ?? [];
        var path = "/api/" + RouteValues().Replace(metadata.Trigger.String("route")!, v => values.GetValueOrDefault(v.Groups["name"].Value, ""));
        var context = Context(method ?? metadata.Trigger.Strings("methods")[0].ToUpperInvariant(), path + query, body, caller, token);

        await using var scope = host.Services.CreateAsyncScope();
        context.RequestServices = scope.ServiceProvider;
        var instance = ActivatorUtilities.CreateInstance(scope.ServiceProvider, metadata.Method.DeclaringType!);
        var arguments = metadata.Method.GetParameters()
            .Select(p => p.ParameterType == typeof(HttpRequest) ? context.Request
                : p.ParameterType == typeof(DurableTaskClient) ? jobs.Client
                : (object?)values.GetValueOrDefault(p.Name!))
            .ToArray();
        IActionResult? result = null;
        var logger = scope.ServiceProvider.GetRequiredService<ILogger<HttpProblemsMiddleware>>();
        var problem = await HttpProblemsMiddleware.RunAsync(context, function, async () =>
        {
            result = metadata.Method.Invoke(instance, arguments) switch
            {
                Task<IActionResult> pending => await pending,
                IActionResult done => done,
                var other => throw new InvalidOperationException($"{function} returned {other?.GetType().Name ?? "null"}, not an IActionResult."),
            };
        }, logger);

        var answer = await ExecuteAsync(context, problem ?? result!);
        seen.Add((function, answer.Status));
        Assert.True(answer.Status == status, $"{context.Request.Method} {path}{query} ({function}) answered {answer.Status}, expected {status}: " +
            $"{answer.Text[..Math.Min(answer.Text.Length, 400)]}");
        Assert.False(string.IsNullOrEmpty(answer.Headers[CorrelationIds.Header]), $"{function} answered without {CorrelationIds.Header}.");
        return answer;
    }

    private DefaultHttpContext Context(string method, string pathAndQuery, object? body, Caller caller, string? token = null)
    {
        var context = new DefaultHttpContext();
        if (caller == Caller.Admin) context.Request.Headers["X-Api-Key"] = adminKey;
        if (caller == Caller.Member) context.Request.Headers.Authorization = $"Bearer {token}";
        var query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        context.Request.Method = method;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("func-loyalty.azurewebsites.net");
        context.Request.Path = query < 0 ? pathAndQuery : pathAndQuery[..query];
        context.Request.QueryString = query < 0 ? QueryString.Empty : new QueryString(pathAndQuery[query..]);
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body is JsonNode node ? node.ToJsonString() : JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = "application/json";
        }
        context.Response.Body = new MemoryStream();
        return context;
    }

    private async Task<Answer> ExecuteAsync(HttpContext context, IActionResult result)
    {
        context.RequestServices ??= host.Services;
        await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
        context.Response.Body.Position = 0;
        var text = await new StreamReader(context.Response.Body).ReadToEndAsync();
        JsonNode? json = null;
        if (context.Response.ContentType?.Contains("json", StringComparison.Ordinal) == true && text.Length > 0)
            json = JsonNode.Parse(text);
        return new Answer(context.Response.StatusCode, json, context.Response.Headers, text);
    }

    /// <summary>Waits for the run an HTTP function started in the background, so the happy path reads it complete.</summary>
    private async Task FinishedAsync(JobKey key) =>
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await jobs.FinishedAsync(key.InstanceId())).RuntimeStatus);

    private static string Id(Answer answer) => (string)answer.Json!["profile"]!["memberId"]!;

    /// <summary>The one-time code the notifications queue carries for <paramref name="destination"/>.</summary>
    private async Task<string> CodeForAsync(string destination)
    {
        var codes = await Samples.TakeCodesAsync(Backend.Storage.NotificationsQueue);
        return Assert.Single(codes, c => c.Destination == destination).Code;
    }

    [GeneratedRegex(@"\{\*?(?<name>[A-Za-z_][A-Za-z0-9_]*)[^}]*\}")]
    private static partial Regex RouteValues();
}
