using System.Net;
using System.Text;
using Loyalty.Core.Access;
using Xunit;

namespace Loyalty.Api.Tests;

/// <summary>Client mistakes get the expected 4xx problem, never a 500.</summary>
public sealed class MalformedRequestTests(LoyaltyApiFactory factory) : IClassFixture<LoyaltyApiFactory>
{
    public static TheoryData<string, string, string, HttpStatusCode, string> Cases => new()
    {
        { "POST", "/api/v1/members", "{\"email\":", HttpStatusCode.BadRequest, "malformed-body" },
        { "POST", "/api/v1/members", "[1,2]", HttpStatusCode.BadRequest, "validation" },
        { "POST", "/api/v1/members", "{\"email\":42}", HttpStatusCode.BadRequest, "validation" },
        { "POST", "/api/v1/members", "{\"emial\":\"a@example.com\"}", HttpStatusCode.BadRequest, "validation" },
        { "POST", "/api/v1/members", "{\"phone\":\"not a phone\"}", HttpStatusCode.BadRequest, "validation" },
        { "POST", "/api/v1/members", "{\"email\":\"no-at-sign\"}", HttpStatusCode.BadRequest, "validation" },
        { "POST", "/api/v1/members", "{\"birthDate\":\"1990-13-45\"}", HttpStatusCode.BadRequest, "validation" },
        { "POST", "/api/v1/members", "", HttpStatusCode.BadRequest, "malformed-body" },
        { "POST", "/api/v1/members/identify", "{}", HttpStatusCode.BadRequest, "validation" },
        { "POST", "/api/v1/members/identify", "{\"phone\":\"+46701234567\",\"email\":\"a@example.com\"}", HttpStatusCode.BadRequest, "validation" },
        { "POST", "/api/v1/members/identify", "{\"email\":\"nobody@example.com\"}", HttpStatusCode.NotFound, "not-found" },
        { "GET", "/api/v1/members/does-not-exist", "", HttpStatusCode.NotFound, "not-found" },
        { "GET", "/api/v1/members/%27%3B%20drop", "", HttpStatusCode.NotFound, "not-found" },
        { "GET", "/api/v1/members/x/receipts?pageSize=0", "", HttpStatusCode.BadRequest, "validation" },
        { "POST", "/api/v1/members/nobody/vouchers", "{\"requestId\":\"r1\",\"value\":\"lots\"}", HttpStatusCode.BadRequest, "validation" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Mistake_gets_its_problem(string method, string url, string body, HttpStatusCode status, string problem)
    {
        var (_, client) = await factory.NewProgramAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method != "GET")
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");

        var response = await client.SendAsync(request);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"urn:loyalty-functions:problem:{problem}", (string)(await MemberApiTests.Body(response))["type"]!);
    }

    [Fact]
    public async Task Oversized_and_non_json_bodies_are_refused()
    {
        var (_, client) = await factory.NewProgramAsync();
        var huge = "{\"firstName\":\"" + new string('a', 300_000) + "\"}";

        var tooLarge = await client.PostAsync("/api/v1/members", new StringContent(huge, Encoding.UTF8, "application/json"));
        var form = await client.PostAsync("/api/v1/members", new StringContent("email=a@example.com", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/v1/nothing-here", HttpStatusCode.NotFound, "not-found")]
    [InlineData("GET", "/nothing-here", HttpStatusCode.NotFound, "not-found")]
    [InlineData("DELETE", "/api/v1/members", HttpStatusCode.MethodNotAllowed, "method-not-allowed")]
    [InlineData("PUT", "/api/v1/members/identify", HttpStatusCode.MethodNotAllowed, "method-not-allowed")]
    public async Task What_the_host_decides_is_a_problem_of_our_types(string method, string url, HttpStatusCode status, string problem)
    {
        var response = await factory.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        await AssertProblemAsync(response, status, problem);
    }

    [Theory]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("text/plain")]
    [InlineData("application/jsonp")]
    [InlineData("application/json-patch")]
    [InlineData("not a media type")]
    public async Task A_body_that_is_not_json_in_utf8_is_an_unsupported_media_type(string contentType)
    {
        var (_, client) = await factory.NewProgramAsync();
        var content = new ByteArrayContent(Encoding.Unicode.GetBytes("{\"phone\":\"070-000 00 01\"}"));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await client.PostAsync("/api/v1/members/identify", content);

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=\"UTF-8\"")]
    [InlineData("application/merge-patch+json")]
    public async Task Json_in_utf8_is_read(string contentType)
    {
        var (_, client) = await factory.NewProgramAsync();
        var content = new StringContent("{\"email\":\"nobody@example.com\"}", Encoding.UTF8);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        var response = await client.PostAsync("/api/v1/members/identify", content);

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Names_and_reasons_of_invisible_characters_only_are_refused()
    {
        var (_, admin) = await factory.NewProgramAsync(Scope.Admin);
        const string invisible = "\"\\u200b\\u2060\\ufeff\"";
        var enrolled = await admin.PostAsync("/api/v1/members", Json.Body("{\"firstName\":\"Ada\"}"));
        var memberId = (string)(await MemberApiTests.Body(enrolled))["profile"]!["memberId"]!;

        var enrol = await admin.PostAsync("/api/v1/members", Json.Body($"{{\"firstName\":{invisible}}}"));
        var update = await admin.PatchAsync($"/api/v1/members/{memberId}", Json.Body($"{{\"lastName\":{invisible}}}"));
        var erase = await admin.PostAsync($"/api/v1/members/{memberId}/erasure", Json.Body($"{{\"reason\":{invisible}}}"));

        await AssertProblemAsync(enrol, HttpStatusCode.BadRequest, "validation");
        await AssertProblemAsync(update, HttpStatusCode.BadRequest, "validation");
        await AssertProblemAsync(erase, HttpStatusCode.BadRequest, "validation");
        Assert.Equal("Ada", (string)(await MemberApiTests.Body(await admin.GetAsync($"/api/v1/members/{memberId}")))["profile"]!["firstName"]!);
    }

    internal static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string problem)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"urn:loyalty-functions:problem:{problem}", (string)(await MemberApiTests.Body(response))["type"]!);
    }
}
