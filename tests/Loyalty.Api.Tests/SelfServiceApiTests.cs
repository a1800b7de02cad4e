using Loyalty.Storage.Repositories;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Loyalty.Core.Access;
using Loyalty.Core.Application;
using Loyalty.Core.Events;
using Loyalty.Core.Vouchers;
using Loyalty.Testing;
using Loyalty.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Loyalty.Api.Tests;

/// <summary>
/// The local host with its notification log worker off, so a test can take the one-time codes off the notifications
/// queue as the e-mail/SMS sender would.
/// </summary>
public sealed class SelfServiceApiFactory : LoyaltyApiFactory
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Notifications:LogWorker:Enabled"] = "false",
        ["MemberAuth:LinkBaseUrl"] = "https://shop.example.com/login",
        ["MemberAuth:PagesProgramId"] = PagesProgram,
    };

    /// <summary>The program My pages signs in to without a key; one test creates it, no other uses it.</summary>
    public const string PagesProgram = "my-pages-program";
}

/// <summary>Member self-service, GDPR and audit through HTTP against the real local host and real Azurite.</summary>
public sealed class SelfServiceApiTests(SelfServiceApiFactory factory) : IClassFixture<SelfServiceApiFactory>
{
    [Fact]
    public async Task A_member_token_reaches_its_own_member_and_nothing_else()
    {
        var (programId, staff) = await factory.NewProgramAsync();
        var memberA = await EnrolAsync(staff, new { firstName = "Ada", phone = "070-123 45 67" });
        var memberB = await EnrolAsync(staff, new { firstName = "Bea", phone = "070-987 65 43" });

        var requested = await staff.PostAsJsonAsync("/api/v1/member-auth/codes", new { phone = "+46 70 123 45 67" });
        Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        var code = await CodeForAsync(programId, "+46701234567");
        var issued = await staff.PostAsJsonAsync("/api/v1/member-auth/tokens", new { phone = "0701234567", code = code.Code });
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        var token = await MemberApiTests.Body(issued);
        Assert.Equal((memberA, "Bearer"), ((string)token["memberId"]!, (string)token["tokenType"]!));
        var member = ClientWithToken((string)token["token"]!);

        Assert.Equal(memberA, (string)(await MemberApiTests.Body(await member.GetAsync("/api/v1/me")))["profile"]!["memberId"]!);
        var own = await member.GetAsync($"/api/v1/members/{memberA}/export");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(memberA, (string)(await MemberApiTests.Body(own))["memberId"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync($"/api/v1/members/{memberB}/export")).StatusCode);
        foreach (var forbidden in new[]
                 {
                     member.GetAsync($"/api/v1/members/{memberA}"), member.GetAsync($"/api/v1/members/{memberB}"),
                     member.GetAsync($"/api/v1/members/{memberA}/ledger"),
                     member.GetAsync("/api/v1/program"), member.GetAsync($"/api/v1/audit?memberId={memberA}"), member.GetAsync("/api/v1/receipts/parked"),
                     member.PostAsJsonAsync($"/api/v1/members/{memberA}/erasure", new { reason = "mine" }),
                     member.PostAsJsonAsync("/api/v1/members/identify", new { memberId = memberB }),
                 })
            Assert.Equal(HttpStatusCode.Forbidden, (await forbidden).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ClientWithToken("not.a.token").GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task My_pages_sign_in_takes_no_key_tells_no_one_who_is_a_member_and_the_member_may_erase_themself()
    {
        var (programId, staff) = await factory.NewProgramAsync(programId: SelfServiceApiFactory.PagesProgram);
        var memberId = await EnrolAsync(staff, new { email = "pages@example.com" });
        var anonymous = factory.CreateClient();

        var known = await anonymous.PostAsJsonAsync("/api/v1/member-auth/pages/codes", new { email = "pages@example.com" });
        var unknown = await anonymous.PostAsJsonAsync("/api/v1/member-auth/pages/codes", new { email = "nobody-here@example.com" });
        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (known.StatusCode, unknown.StatusCode));
        Assert.Equal(await known.Content.ReadAsStringAsync(), await unknown.Content.ReadAsStringAsync());
        var code = await CodeForAsync(programId, "pages@example.com");
        var issued = await anonymous.PostAsJsonAsync("/api/v1/member-auth/pages/tokens", new { email = "pages@example.com", code = code.Code });
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        var member = ClientWithToken((string)(await MemberApiTests.Body(issued))["token"]!);
        Assert.Equal(memberId, (string)(await MemberApiTests.Body(await member.GetAsync("/api/v1/me")))["profile"]!["memberId"]!);
        Assert.Equal(memberId, (string)(await MemberApiTests.Body(await member.GetAsync("/api/v1/me/export")))["memberId"]!);

        Assert.Equal(HttpStatusCode.BadRequest, (await member.PostAsJsonAsync("/api/v1/me/erasure", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync("/api/v1/me")).StatusCode);
        var erased = await member.PostAsJsonAsync("/api/v1/me/erasure", new { confirm = true });
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.Equal("member", (string)(await MemberApiTests.Body(erased))["erasedBy"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync("/api/v1/me")).StatusCode);
        var admin = await factory.ClientForAsync(programId, Scope.Admin);
        var trail = await MemberApiTests.Body(await admin.GetAsync($"/api/v1/audit?memberId={memberId}"));
        Assert.Contains(trail["items"]!.AsArray(), entry => (string)entry!["action"]! == "member.erasure" && (string)entry["actor"]! == "member");
    }

    [Fact]
    public async Task Asking_for_a_code_answers_the_same_for_enrolled_and_unknown_identifiers()
    {
        var (programId, staff) = await factory.NewProgramAsync();
        await EnrolAsync(staff, new { email = "known@example.com" });

        var known = await staff.PostAsJsonAsync("/api/v1/member-auth/codes", new { email = "known@example.com" });
        var unknown = await staff.PostAsJsonAsync("/api/v1/member-auth/codes", new { email = "unknown@example.com" });

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (known.StatusCode, unknown.StatusCode));
        Assert.Equal(await known.Content.ReadAsStringAsync(), await unknown.Content.ReadAsStringAsync());
        Assert.Equal("""{"channel":"email","expiresInSeconds":600}""", await unknown.Content.ReadAsStringAsync());
        var sent = await CodeForAsync(programId, "known@example.com");
        Assert.StartsWith("https://shop.example.com/login?token=", sent.Link, StringComparison.Ordinal);
        var wrong = await staff.PostAsJsonAsync("/api/v1/member-auth/tokens",
            new { email = "known@example.com", code = sent.Code == "111111" ? "222222" : "111111" });
        var none = await staff.PostAsJsonAsync("/api/v1/member-auth/tokens", new { email = "unknown@example.com", code = "111111" });
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (wrong.StatusCode, none.StatusCode));
        Assert.Equal(WithoutTrace(await MemberApiTests.Body(wrong)), WithoutTrace(await MemberApiTests.Body(none)));
    }

    [Fact]
    public async Task Wrong_codes_lock_the_code_and_a_magic_link_works_once()
    {
        var (programId, staff) = await factory.NewProgramAsync();
        await EnrolAsync(staff, new { email = "lock@example.com" });
        await staff.PostAsJsonAsync("/api/v1/member-auth/codes", new { email = "lock@example.com" });
        var sent = await CodeForAsync(programId, "lock@example.com");
        var wrong = sent.Code == "111111" ? "222222" : "111111";

        var codes = new List<string>();
        for (var i = 0; i < 5; i++)
            codes.Add(await ViolationAsync(await staff.PostAsJsonAsync("/api/v1/member-auth/tokens", new { email = "lock@example.com", code = wrong })));
        codes.Add(await ViolationAsync(await staff.PostAsJsonAsync("/api/v1/member-auth/tokens", new { email = "lock@example.com", code = sent.Code })));

        Assert.Equal([.. Enumerable.Repeat(ApplicationErrors.CodeInvalid, 4), ApplicationErrors.CodeLocked, ApplicationErrors.CodeLocked], codes);
        // The link of a locked code is locked too; a new code brings a new link.
        await staff.PostAsJsonAsync("/api/v1/member-auth/codes", new { email = "lock@example.com" });
        var link = Uri.UnescapeDataString((await CodeForAsync(programId, "lock@example.com")).Link!.Split("token=")[1]);
        Assert.Equal(HttpStatusCode.OK, (await staff.PostAsJsonAsync("/api/v1/member-auth/tokens", new { link })).StatusCode);
        Assert.Equal(ApplicationErrors.CodeInvalid, await ViolationAsync(await staff.PostAsJsonAsync("/api/v1/member-auth/tokens", new { link })));
    }

    [Fact]
    public async Task A_member_sees_receipts_and_offers_changes_consents_and_chooses_a_voucher()
    {
        var (programId, staff) = await factory.NewProgramAsync();
        await AddDenominationAsync(programId);
        var memberId = await EnrolAsync(staff, new { phone = "0701112233", consents = new { sms = false } });
        var purchase = await staff.PostAsJsonAsync("/api/v1/receipts", new
        {
            id = "web-1",
            channel = "online",
            purchasedAt = DateTimeOffset.UtcNow.AddSeconds(-5),
            member = new { phone = "0701112233" },
            currency = "SEK",
            total = 1500m,
            lines = new[] { new { sku = "bed-1", category = "beds", quantity = 1m, amount = 1500m } },
        });
        Assert.Equal(HttpStatusCode.OK, purchase.StatusCode);
        var member = await SignInAsync(staff, programId, "0701112233", "+46701112233");

        var receipts = await MemberApiTests.Body(await member.GetAsync("/api/v1/me/receipts"));
        Assert.Equal(("web-1", "online"), ((string)receipts["items"]![0]!["receiptId"]!, (string)receipts["items"]![0]!["channel"]!));
        var updated = await MemberApiTests.Body(await member.PatchAsJsonAsync("/api/v1/me", new { firstName = "Greta", consents = new { sms = true } }));
        Assert.Equal(("Greta", true, "member"), ((string)updated["profile"]!["firstName"]!, (bool)updated["profile"]!["consents"]!["sms"]!["granted"]!,
            (string)updated["profile"]!["consents"]!["sms"]!["source"]!));
        var chosen = await member.PostAsJsonAsync("/api/v1/me/vouchers", new { requestId = "app-1", value = 50m });
        Assert.Equal(HttpStatusCode.OK, chosen.StatusCode);
        Assert.Equal("app:app-1", (string)(await MemberApiTests.Body(chosen))["operationId"]!);
        var offers = await MemberApiTests.Body(await member.GetAsync("/api/v1/me/offers"));
        Assert.Equal(["app:app-1", "welcome"], offers["vouchers"]!.AsArray().Select(v => (string)v!["id"]!).Order());
        Assert.Empty(offers["campaigns"]!.AsArray());
        Assert.Equal(memberId, (string)(await MemberApiTests.Body(await member.GetAsync("/api/v1/me")))["profile"]!["memberId"]!);
    }

    [Fact]
    public async Task Staff_see_the_offers_a_campaign_run_gave_a_member_as_the_member_does_named_by_the_campaign()
    {
        var (programId, staff) = await factory.NewProgramAsync();
        var marketing = await factory.ClientForAsync(programId, Scope.Marketing);
        var memberId = await EnrolAsync(staff, new { phone = "0701414141", consents = new { sms = true } });
        Assert.Equal(HttpStatusCode.Created, (await marketing.PostAsJsonAsync("/api/v1/campaigns", new
        {
            campaignId = "sofa",
            name = "Sofa week",
            segment = new { },
            offer = new { kind = "voucher", value = 100m, validDays = 30 },
            message = new { channel = "sms", text = "Hi {firstName|there}" },
            schedule = new { kind = "once", date = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)).ToString("yyyy-MM-dd"), time = "10:00:00" },
        })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await marketing.PostAsync("/api/v1/campaigns/sofa/schedule", null)).StatusCode);
        var started = await marketing.PostAsync("/api/v1/campaigns/sofa/run", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        await JobApiTests.CompleteAsync(marketing, started.Headers.Location!.OriginalString);

        var offers = await MemberApiTests.Body(await staff.GetAsync($"/api/v1/members/{memberId}/offers"));
        var campaign = Assert.Single(offers["campaigns"]!.AsArray())!;
        Assert.Equal(("sofa", "Sofa week"), ((string)campaign["campaignId"]!, (string)campaign["campaignName"]!));
        Assert.Equal(100m, (decimal)campaign["vouchersIssued"]![0]!["value"]!);
        Assert.StartsWith("campaign:sofa:", (string)campaign["operationId"]!, StringComparison.Ordinal);
        Assert.Contains((string)campaign["vouchersIssued"]![0]!["id"]!, offers["vouchers"]!.AsArray().Select(v => (string)v!["id"]!));
        var member = await SignInAsync(staff, programId, "0701414141", "+46701414141");
        Assert.Equal(offers.ToJsonString(), (await MemberApiTests.Body(await member.GetAsync("/api/v1/me/offers"))).ToJsonString());
        Assert.Equal(offers.ToJsonString(), (await MemberApiTests.Body(await marketing.GetAsync($"/api/v1/members/{memberId}/offers"))).ToJsonString());

        var unknown = await staff.GetAsync("/api/v1/members/nobody-here/offers");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType!.MediaType);
        using var badReason = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/members/{memberId}/offers");
        badReason.Headers.Add("X-Audit-Reason", new string('x', 201));
        Assert.Equal(HttpStatusCode.BadRequest, (await staff.SendAsync(badReason)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync($"/api/v1/members/{memberId}/offers")).StatusCode);
    }

    [Fact]
    public async Task Till_and_app_voucher_requests_never_answer_each_other_whatever_ids_they_pick()
    {
        var (programId, staff) = await factory.NewProgramAsync();
        await AddDenominationAsync(programId);
        var memberId = await EnrolAsync(staff, new { phone = "0701212121" });
        Assert.Equal(HttpStatusCode.OK, (await staff.PostAsJsonAsync("/api/v1/receipts", new
        {
            id = "web-big",
            channel = "online",
            purchasedAt = DateTimeOffset.UtcNow.AddSeconds(-5),
            member = new { memberId },
            currency = "SEK",
            total = 6000m,
            lines = new[] { new { sku = "sofa-1", category = "sofas", quantity = 1m, amount = 6000m } },
        })).StatusCode);
        var member = await SignInAsync(staff, programId, "0701212121", "+46701212121");

        // The till first, then the app with the id the till's could be mistaken for; then the other way round.
        var till = await ChosenAsync(staff.PostAsJsonAsync($"/api/v1/members/{memberId}/vouchers", new { requestId = "self.app-43", value = 50m }));
        var app = await ChosenAsync(member.PostAsJsonAsync("/api/v1/me/vouchers", new { requestId = "app-43", value = 50m }));
        var app2 = await ChosenAsync(member.PostAsJsonAsync("/api/v1/me/vouchers", new { requestId = "44", value = 50m }));
        var till2 = await ChosenAsync(staff.PostAsJsonAsync($"/api/v1/members/{memberId}/vouchers", new { requestId = "app:44", value = 50m }));
        var till3 = await ChosenAsync(staff.PostAsJsonAsync($"/api/v1/members/{memberId}/vouchers", new { requestId = "self.44", value = 50m }));

        Assert.Equal(["till:self.app-43", "app:app-43", "app:44", "till:app:44", "till:self.44"],
            new[] { till, app, app2, till2, till3 }.Select(o => (string)o["operationId"]!));
        Assert.All([till, app, app2, till2, till3], o => Assert.Equal(-1_000, (long)o["pointsEarned"]!));
        var vouchers = (await MemberApiTests.Body(await member.GetAsync("/api/v1/me/offers")))["vouchers"]!.AsArray().Select(v => (string)v!["id"]!).ToList();
        Assert.Equal(6, vouchers.Count);
        // A retry still replays its own first answer.
        Assert.Equal(
            app.ToJsonString(), (await ChosenAsync(member.PostAsJsonAsync("/api/v1/me/vouchers", new { requestId = "app-43", value = 50m }))).ToJsonString());
    }

    private static async Task<JsonNode> ChosenAsync(Task<HttpResponseMessage> request)
    {
        var response = await request;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await MemberApiTests.Body(response);
    }

    [Fact]
    public async Task A_member_cannot_collect_receipts_parked_under_numbers_that_are_not_theirs()
    {
        var (programId, staff) = await factory.NewProgramAsync();
        var admin = await factory.ClientForAsync(programId, Scope.Admin);
        var attacker = await EnrolAsync(staff, new { phone = "0703000000" });
        string[] victims = ["0703000001", "0703000002", "0703000003"];
        foreach (var (phone, i) in victims.Select((p, i) => (p, i)))
            await ParkAsync(staff, $"victim-{i}", phone);
        var member = await SignInAsync(staff, programId, "0703000000", "+46703000000");

        // Each victim's number in turn, then back to the member's own: nothing changes hands without the code.
        foreach (var phone in victims)
        {
            var patched = await member.PatchAsJsonAsync("/api/v1/me", new { phone });
            Assert.Equal(HttpStatusCode.Accepted, patched.StatusCode);
            var body = await MemberApiTests.Body(patched);
            Assert.Equal("+46703000000", (string)body["profile"]!["phone"]!);
            Assert.Equal(("phone", "+4670" + phone[3..], "sms"),
                ((string)body["pending"]![0]!["field"]!, (string)body["pending"]![0]!["value"]!, (string)body["pending"]![0]!["channel"]!));
        }
        Assert.Equal(HttpStatusCode.OK, (await member.PatchAsJsonAsync("/api/v1/me", new { phone = "0703000000" })).StatusCode);
        // The codes went to the victims' phones, not to the member; a guess is refused.
        Assert.Equal(ApplicationErrors.CodeInvalid,
            await ViolationAsync(await member.PostAsJsonAsync("/api/v1/me/contact-confirmations", new { phone = victims[1], code = "000000" })));

        Assert.Empty((await MemberApiTests.Body(await member.GetAsync("/api/v1/me/receipts")))["items"]!.AsArray());
        Assert.Equal(["victim-0", "victim-1", "victim-2"], (await MemberApiTests.Body(await admin.GetAsync("/api/v1/receipts/parked")))["items"]!.AsArray()
            .Select(p => (string)p!["receipt"]!["id"]!).Order());
        Assert.Equal(attacker, (string)(await MemberApiTests.Body(await staff.PostAsJsonAsync("/api/v1/members/identify",
            new { phone = "0703000000" })))["profile"]!["memberId"]!);

        // The owner enrols while the member's change is pending, and gets the receipt; the code, even if it leaked, is now too late.
        var code = await CodeForAsync(programId, "+46703000001");
        var owner = await EnrolAsync(staff, new { phone = victims[0] });
        Assert.Equal(["victim-0"], (await MemberApiTests.Body(await staff.GetAsync($"/api/v1/members/{owner}/receipts")))["items"]!.AsArray()
            .Select(r => (string)r!["receiptId"]!));
        var late = await member.PostAsJsonAsync("/api/v1/me/contact-confirmations", new { phone = victims[0], code = code.Code });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal(ApplicationErrors.IdentityTaken, (string)(await MemberApiTests.Body(late))["violations"]![0]!["code"]!);
    }

    [Fact]
    public async Task A_new_phone_is_the_members_only_after_the_code_sent_to_it_and_its_parked_receipt_follows()
    {
        var (programId, staff) = await factory.NewProgramAsync();
        var memberId = await EnrolAsync(staff, new { phone = "0704000000", firstName = "Old" });
        await ParkAsync(staff, "parked-new-phone", "0704000001");
        var member = await SignInAsync(staff, programId, "0704000000", "+46704000000");

        var patched = await member.PatchAsJsonAsync("/api/v1/me", new { phone = "070-400 00 01", firstName = "New" });
        Assert.Equal(HttpStatusCode.Accepted, patched.StatusCode);
        Assert.Equal(("New", "+46704000000"), ((string)(await MemberApiTests.Body(patched))["profile"]!["firstName"]!,
            (string)(await MemberApiTests.Body(patched))["profile"]!["phone"]!));
        Assert.Empty((await MemberApiTests.Body(await member.GetAsync("/api/v1/me/receipts")))["items"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, (await staff.PostAsJsonAsync("/api/v1/members/identify", new { phone = "0704000001" })).StatusCode);

        var code = await CodeForAsync(programId, "+46704000001");
        Assert.Equal(memberId, code.MemberId);
        var confirmed = await member.PostAsJsonAsync("/api/v1/me/contact-confirmations", new { phone = "+46704000001", code = code.Code });
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal("+46704000001", (string)(await MemberApiTests.Body(confirmed))["profile"]!["phone"]!);
        Assert.Equal(["parked-new-phone"], (await MemberApiTests.Body(await member.GetAsync("/api/v1/me/receipts")))["items"]!.AsArray()
            .Select(r => (string)r!["receiptId"]!));
        Assert.Equal(memberId, (string)(await MemberApiTests.Body(await staff.PostAsJsonAsync("/api/v1/members/identify",
            new { phone = "0704000001" })))["profile"]!["memberId"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await staff.PostAsJsonAsync("/api/v1/members/identify", new { phone = "0704000000" })).StatusCode);
        Assert.Equal(ApplicationErrors.CodeInvalid,
            await ViolationAsync(await member.PostAsJsonAsync("/api/v1/me/contact-confirmations", new { phone = "0704000001", code = code.Code })));
    }

    [Fact]
    public async Task A_staff_change_of_contact_details_is_immediate_and_audited_without_the_values()
    {
        var (programId, staff) = await factory.NewProgramAsync();
        var admin = await factory.ClientForAsync(programId, Scope.Admin);
        var staffKey = staff.DefaultRequestHeaders.GetValues("X-Api-Key").Single().Split('_')[1];
        var memberId = await EnrolAsync(staff, new { phone = "0705000000" });
        await ParkAsync(staff, "parked-staff", "0705000001");

        var change = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/members/{memberId}")
        {
            Headers = { { "X-Audit-Reason", "desk 3" } },
            Content = JsonContent.Create(new { phone = "0705000001", firstName = "Karin", consents = new { sms = true } }),
        };
        var changed = await staff.SendAsync(change);

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("+46705000001", (string)(await MemberApiTests.Body(changed))["profile"]!["phone"]!);
        Assert.Equal(["parked-staff"], (await MemberApiTests.Body(await staff.GetAsync($"/api/v1/members/{memberId}/receipts")))["items"]!.AsArray()
            .Select(r => (string)r!["receiptId"]!));
        var entry = Assert.Single((await MemberApiTests.Body(await admin.GetAsync($"/api/v1/audit?memberId={memberId}")))["items"]!.AsArray());
        Assert.Equal((staffKey, "contact.update", "desk 3", "firstName, phone, consents.sms"),
            ((string)entry!["actor"]!, (string)entry["action"]!, (string)entry["reason"]!, (string)entry["detail"]!));
    }

    private static async Task ParkAsync(HttpClient staff, string receiptId, string phone)
    {
        var parked = await staff.PostAsJsonAsync("/api/v1/receipts", new
        {
            id = receiptId,
            channel = "online",
            purchasedAt = DateTimeOffset.UtcNow.AddSeconds(-5),
            member = new { phone },
            currency = "SEK",
            total = 100m,
            lines = new[] { new { sku = "mug-1", category = "kitchen", quantity = 1m, amount = 100m } },
        });
        Assert.Equal(HttpStatusCode.Accepted, parked.StatusCode);
    }

    [Fact]
    public async Task Admin_reads_of_personal_data_are_audited_with_who_and_why_and_staff_reads_are_not()
    {
        var (programId, staff) = await factory.NewProgramAsync();
        var admin = await factory.ClientForAsync(programId, Scope.Admin);
        var adminKey = admin.DefaultRequestHeaders.GetValues("X-Api-Key").Single().Split('_')[1];
        var memberId = await EnrolAsync(staff, new { phone = "0704445566" });

        await staff.GetAsync($"/api/v1/members/{memberId}");
        var read = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/members/{memberId}") { Headers = { { "X-Audit-Reason", "ticket 991" } } };
        Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(read)).StatusCode);
        await admin.PostAsJsonAsync("/api/v1/members/identify", new { phone = "0704445566" });
        await admin.GetAsync($"/api/v1/members/{memberId}/receipts");
        await admin.GetAsync($"/api/v1/members/{memberId}/ledger");
        await admin.GetAsync($"/api/v1/members/{memberId}/export");
        var tooLong = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/members/{memberId}") { Headers = { { "X-Audit-Reason", new string('x', 201) } } };
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.SendAsync(tooLong)).StatusCode);

        var trail = (await MemberApiTests.Body(await admin.GetAsync($"/api/v1/audit?memberId={memberId}")))["items"]!.AsArray();
        Assert.Equal(["member.export", "member.ledger", "member.receipts", "member.identify", "member.read"], trail.Select(e => (string)e!["action"]!));
        Assert.All(trail, e => Assert.Equal(adminKey, (string)e!["actor"]!));
        Assert.Equal("ticket 991", (string)trail[^1]!["reason"]!);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/v1/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.GetAsync($"/api/v1/audit?memberId={memberId}")).StatusCode);
    }

    [Fact]
    public async Task Erasure_needs_a_reason_answers_the_same_twice_and_the_member_is_gone_for_everyone()
    {
        var (programId, staff) = await factory.NewProgramAsync();
        var admin = await factory.ClientForAsync(programId, Scope.Admin);
        var memberId = await EnrolAsync(staff, new { firstName = "Erik", phone = "0707778899", email = "erik@example.com" });
        var member = await SignInAsync(staff, programId, "0707778899", "+46707778899");

        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync($"/api/v1/members/{memberId}/erasure", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.PostAsJsonAsync($"/api/v1/members/{memberId}/erasure", new { reason = "r" })).StatusCode);
        var first = await admin.PostAsJsonAsync($"/api/v1/members/{memberId}/erasure", new { reason = "request 2026-04" });
        var second = await admin.PostAsJsonAsync($"/api/v1/members/{memberId}/erasure", new { reason = "request 2026-04" });

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(["card", "phone", "email"], (await MemberApiTests.Body(first))["identitiesFreed"]!.AsArray().Select(k => (string)k!));
        Assert.Equal(HttpStatusCode.NotFound, (await staff.GetAsync($"/api/v1/members/{memberId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await staff.PostAsJsonAsync("/api/v1/members/identify", new { email = "erik@example.com" })).StatusCode);
        // The token is signed, not stored, yet it stops working: every /me endpoint and the export answer 404.
        foreach (var gone in new[]
                 {
                     member.GetAsync("/api/v1/me"), member.GetAsync("/api/v1/me/receipts"), member.GetAsync("/api/v1/me/offers"),
                     member.PatchAsJsonAsync("/api/v1/me", new { firstName = "Erik" }),
                     member.PostAsJsonAsync("/api/v1/me/vouchers", new { requestId = "x", value = 50m }),
                     member.GetAsync($"/api/v1/members/{memberId}/export"),
                 })
            Assert.Equal(HttpStatusCode.NotFound, (await gone).StatusCode);
        Assert.Equal(
            HttpStatusCode.Created, (await staff.PostAsJsonAsync("/api/v1/members", new { phone = "0707778899", email = "erik@example.com" })).StatusCode);
        var leftover = await MemberApiTests.Body(await admin.GetAsync($"/api/v1/members/{memberId}/export"));
        Assert.Null((string?)leftover["profile"]!["firstName"]);
        Assert.Equal("request 2026-04", (string)leftover["erasure"]!["reason"]!);
    }

    [Fact]
    public async Task Too_many_code_requests_are_a_429_problem_with_its_code_and_retry_after()
    {
        var (_, staff) = await factory.NewProgramAsync();

        // Two windows' worth at most, so a request crossing the top of the hour still meets the limit.
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 2 * 61 && limited is null; i++)
        {
            var response = await staff.PostAsJsonAsync("/api/v1/member-auth/codes", new { email = $"nobody{i}@example.com" });
            if (response.StatusCode == HttpStatusCode.TooManyRequests) limited = response;
        }

        Assert.NotNull(limited);
        await MalformedRequestTests.AssertProblemAsync(limited, HttpStatusCode.TooManyRequests, "too-many-requests");
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        var problem = await MemberApiTests.Body(limited);
        Assert.Equal(ApplicationErrors.RateLimited, (string)problem["violations"]![0]!["code"]!);
    }

    private async Task<HttpClient> SignInAsync(HttpClient app, string programId, string phone, string destination)
    {
        Assert.Equal(HttpStatusCode.Accepted, (await app.PostAsJsonAsync("/api/v1/member-auth/codes", new { phone })).StatusCode);
        var code = await CodeForAsync(programId, destination);
        var token = await MemberApiTests.Body(await app.PostAsJsonAsync("/api/v1/member-auth/tokens", new { phone, code = code.Code }));
        return ClientWithToken((string)token["token"]!);
    }

    private HttpClient ClientWithToken(string token)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>The code sent to <paramref name="destination"/>, taken off the notifications queue as the sender would (with everything else on it).</summary>
    private async Task<MemberCodeIssued> CodeForAsync(string programId, string destination)
    {
        var codes = await Samples.TakeCodesAsync(factory.Services.GetRequiredService<LoyaltyStorage>().NotificationsQueue);
        return Assert.Single(codes, c => c.ProgramId == programId && c.Destination == destination);
    }

    /// <summary>A till denomination (1,000 points for 50 kr) from a minute ago on, so members can choose a voucher.</summary>
    private async Task AddDenominationAsync(string programId)
    {
        var programs = factory.Services.GetRequiredService<IProgramService>();
        var latest = (await programs.GetAsync(programId, default)).Value.Latest;
        var published = await programs.PublishAsync(programId, latest with
        {
            Version = 2,
            EffectiveFrom = DateTimeOffset.UtcNow.AddMinutes(-1),
            Vouchers = latest.Vouchers with { Automatic = null, Denominations = [new VoucherDenomination(1_000, 50m)] },
        }, default);
        Assert.True(published.IsValid, string.Join("; ", published.Errors));
    }

    private static async Task<string> EnrolAsync(HttpClient staff, object member)
    {
        var enrolled = await staff.PostAsJsonAsync("/api/v1/members", member);
        Assert.Equal(HttpStatusCode.Created, enrolled.StatusCode);
        return (string)(await MemberApiTests.Body(enrolled))["profile"]!["memberId"]!;
    }

    /// <summary>A problem without its traceId, which differs per request by design.</summary>
    private static string WithoutTrace(JsonNode problem)
    {
        problem.AsObject().Remove("traceId");
        return problem.ToJsonString();
    }

    private static async Task<string> ViolationAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (string)(await MemberApiTests.Body(response))["violations"]![0]!["code"]!;
    }
}
