using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Loyalty.Core.Access;
using Xunit;

namespace Loyalty.Api.Tests;

/// <summary>/api/v1/keys through HTTP: the secret is answered once, other programs' keys do not exist, revoked and expired keys are 401.</summary>
public sealed class ApiKeyApiTests(LoyaltyApiFactory factory) : IClassFixture<LoyaltyApiFactory>
{
    [Fact]
    public async Task An_admin_creates_lists_and_revokes_keys_of_its_own_program_only()
    {
        var (_, admin) = await factory.NewProgramAsync(Scope.Admin);
        var (_, otherAdmin) = await factory.NewProgramAsync(Scope.Admin);

        var created = await admin.PostAsJsonAsync("/api/v1/keys", new { name = "store-12-tills", scopes = new[] { "pos", "store" } });
        Assert.True(HttpStatusCode.Created == created.StatusCode, await created.Content.ReadAsStringAsync());
        var key = await MemberApiTests.Body(created);
        var keyId = (string)key["keyId"]!;
        var secret = (string)key["secret"]!;
        Assert.StartsWith($"lf_{keyId}_", secret);
        Assert.Equal($"/api/v1/keys/{keyId}", created.Headers.Location?.ToString());
        Assert.Equal(["pos", "store"], key["scopes"]!.AsArray().Select(s => (string)s!));

        var tills = Client(secret);
        Assert.Equal(HttpStatusCode.Created, (await tills.PostAsJsonAsync("/api/v1/members", new { firstName = "Ada" })).StatusCode);

        var listing = await admin.GetStringAsync("/api/v1/keys");
        Assert.DoesNotContain(secret[(3 + keyId.Length + 1)..], listing, StringComparison.Ordinal);
        var listed = JsonNode.Parse(listing)!["items"]!.AsArray().Single(k => (string)k!["keyId"]! == keyId)!;
        Assert.Equal(("store-12-tills", "active"), ((string)listed["name"]!, (string)listed["status"]!));
        Assert.Null(listed["secret"]);
        Assert.DoesNotContain(secret[(3 + keyId.Length + 1)..], await admin.GetStringAsync($"/api/v1/keys/{keyId}"), StringComparison.Ordinal);

        // Another program's admin cannot see or revoke it: to them it does not exist.
        Assert.Equal(HttpStatusCode.NotFound, (await otherAdmin.GetAsync($"/api/v1/keys/{keyId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherAdmin.PostAsync($"/api/v1/keys/{keyId}/revoke", null)).StatusCode);
        Assert.DoesNotContain(keyId, await otherAdmin.GetStringAsync("/api/v1/keys"), StringComparison.Ordinal);

        var revoked = await admin.PostAsync($"/api/v1/keys/{keyId}/revoke", null);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal("revoked", (string)(await MemberApiTests.Body(revoked))["status"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/keys/abcdefghijkmnpqr")).StatusCode);
    }

    /// <summary>A key is issued in the program resolved at the edge: a program that is gone is answered there.</summary>
    [Fact]
    public async Task Creating_a_key_in_a_program_that_does_not_exist_is_answered_program_not_found()
    {
        var (programId, admin) = await factory.OrphanKeyAsync(Scope.Admin);

        var answer = await admin.PostAsJsonAsync("/api/v1/keys", new { name = "tills", scopes = new[] { "pos" } });

        await LoyaltyApiFactory.AssertProgramNotFoundAsync(answer, programId);
    }

    [Fact]
    public async Task Revoked_and_expired_keys_are_refused_with_401()
    {
        var (_, admin) = await factory.NewProgramAsync(Scope.Admin);
        var revoked = await CreateAsync(admin, new { name = "gone", scopes = new[] { "pos" } });
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/keys/{(string)revoked["keyId"]!}/revoke", null)).StatusCode);
        var expiring = await CreateAsync(admin, new { name = "brief", scopes = new[] { "pos" }, expiresAt = DateTimeOffset.UtcNow.AddSeconds(2) });

        // Neither was used before its end, so no cached success can stand in for the look-up.
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await Client((string)revoked["secret"]!).PostAsJsonAsync("/api/v1/members/identify", new { memberId = "x" })).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await Client((string)expiring["secret"]!).PostAsJsonAsync("/api/v1/members/identify", new { memberId = "x" })).StatusCode);
    }

    [Fact]
    public async Task A_key_is_refused_unless_named_scoped_and_expiring_in_the_future()
    {
        var (_, admin) = await factory.NewProgramAsync(Scope.Admin);
        var bad = await admin.PostAsJsonAsync("/api/v1/keys", new { name = "", scopes = Array.Empty<string>(), expiresAt = DateTimeOffset.UtcNow.AddDays(-1) });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["expiresAt", "name", "scopes"], (await MemberApiTests.Body(bad))["errors"]!.AsObject().Select(e => e.Key).Order());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/v1/keys", new { name = "x", scopes = new[] { "root" } })).StatusCode);
    }

    private static async Task<JsonNode> CreateAsync(HttpClient admin, object request)
    {
        var created = await admin.PostAsJsonAsync("/api/v1/keys", request);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return await MemberApiTests.Body(created);
    }

    private HttpClient Client(string secret)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", secret);
        return client;
    }
}
