using System.Net;
using System.Text;
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

    [Fact]
    public async Task Unknown_routes_answer_with_a_problem_not_an_empty_404()
    {
        var response = await factory.CreateClient().GetAsync("/api/v1/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
