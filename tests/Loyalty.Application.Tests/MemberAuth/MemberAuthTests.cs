using Microsoft.Extensions.DependencyInjection;
using Azure.Data.Tables;
using Loyalty.Core.Application;
using Loyalty.Core.Application.MemberAuth;
using Loyalty.Core.Events;
using Loyalty.Testing;
using Xunit;

namespace Loyalty.Application.Tests.MemberAuth;

/// <summary>One-time codes and member tokens through the real services, tables and notifications queue.</summary>
public class MemberAuthTests : LoyaltyStorageTest
{
    private const string Address = "203.0.113.7";

    private IMemberAuthService Auth => Services.MemberAuth;

    [Fact]
    public async Task A_code_sent_to_an_enrolled_phone_buys_one_token_for_that_member_and_works_once()
    {
        var programId = await CreateProgramAsync();
        var member = (await EnrolAsync(programId, new EnrolMember { Phone = "070-123 45 67" })).Profile.MemberId;

        var sent = Ok(await Auth.RequestCodeAsync(await Services.ProgramAsync(programId), new CodeRequest { Phone = "+46 70 123 45 67" }, Address, default));
        var code = await SentCodeAsync();

        Assert.Equal(("sms", 600), (sent.Channel, sent.ExpiresInSeconds));
        Assert.Equal(("+46701234567", member, Start.AddMinutes(10)), (code.Destination, code.MemberId, code.ExpiresAt));
        Assert.Matches("^[0-9]{6}$", code.Code);
        Assert.Null(code.Link);
        var token = Ok(await Auth.IssueTokenAsync(await Services.ProgramAsync(programId),
            new TokenRequest { Phone = "0701234567", Code = code.Code }, Address, default));
        Assert.Equal((member, Start.AddMinutes(30)), (token.MemberId, token.ExpiresAt));
        var caller = Auth.Authenticate(token.Token);
        Assert.Equal((programId, member, $"member:{member}"), (caller!.ProgramId, caller.MemberId, caller.KeyId));
        Assert.Equal(Core.Access.Scope.None, caller.Scopes);

        Failed(await Auth.IssueTokenAsync(await Services.ProgramAsync(programId),
            new TokenRequest { Phone = "0701234567", Code = code.Code }, Address, default),
            ApplicationErrors.CodeInvalid);
        Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Null(Auth.Authenticate(token.Token));
    }

    [Fact]
    public async Task Five_wrong_codes_lock_the_code_so_even_the_right_one_is_refused_until_a_new_one_is_sent()
    {
        var programId = await CreateProgramAsync();
        await EnrolAsync(programId, new EnrolMember { Email = "ada@example.com" });
        Ok(await Auth.RequestCodeAsync(await Services.ProgramAsync(programId), new CodeRequest { Email = "ada@example.com" }, Address, default));
        var code = (await SentCodeAsync()).Code;
        var wrong = code == "000000" ? "000001" : "000000";

        for (var attempt = 1; attempt < MemberAuthOptions.MaxFailedAttempts; attempt++)
            Failed(await Auth.IssueTokenAsync(await Services.ProgramAsync(programId),
                new TokenRequest { Email = "ada@example.com", Code = wrong }, Address, default),
                ApplicationErrors.CodeInvalid);
        Failed(await Auth.IssueTokenAsync(await Services.ProgramAsync(programId),
            new TokenRequest { Email = "ada@example.com", Code = wrong }, Address, default),
            ApplicationErrors.CodeLocked);
        Failed(await Auth.IssueTokenAsync(await Services.ProgramAsync(programId),
            new TokenRequest { Email = "ADA@example.com", Code = code }, Address, default),
            ApplicationErrors.CodeLocked);

        Ok(await Auth.RequestCodeAsync(await Services.ProgramAsync(programId), new CodeRequest { Email = "ada@example.com" }, Address, default));
        var fresh = (await SentCodeAsync()).Code;
        Ok(await Auth.IssueTokenAsync(await Services.ProgramAsync(programId), new TokenRequest { Email = "ada@example.com", Code = fresh }, Address, default));
    }

    [Fact]
    public async Task An_expired_code_is_refused()
    {
        var programId = await CreateProgramAsync();
        await EnrolAsync(programId, new EnrolMember { Phone = "0701234567" });
        Ok(await Auth.RequestCodeAsync(await Services.ProgramAsync(programId), new CodeRequest { Phone = "0701234567" }, Address, default));
        var code = (await SentCodeAsync()).Code;

        Clock.Advance(MemberAuthOptions.CodeLifetime);

        Failed(await Auth.IssueTokenAsync(await Services.ProgramAsync(programId),
            new TokenRequest { Phone = "0701234567", Code = code }, Address, default), ApplicationErrors.CodeExpired);
    }

    [Fact]
    public async Task An_identifier_nobody_holds_gets_the_same_answer_no_message_and_the_same_refusals()
    {
        var programId = await CreateProgramAsync();
        await EnrolAsync(programId, new EnrolMember { Email = "member@example.com" });

        var enrolled = Ok(await Auth.RequestCodeAsync(await Services.ProgramAsync(programId),
            new CodeRequest { Email = "member@example.com" }, Address, default));
        var unknown = Ok(await Auth.RequestCodeAsync(await Services.ProgramAsync(programId),
            new CodeRequest { Email = "stranger@example.com" }, Address, default));

        Assert.Equal(enrolled, unknown);
        Assert.Equal("member@example.com", (await SentCodeAsync()).Destination);
        // Any code for the stranger fails the way a wrong code fails, and locks the same way.
        for (var attempt = 1; attempt < MemberAuthOptions.MaxFailedAttempts; attempt++)
            Failed(await Auth.IssueTokenAsync(await Services.ProgramAsync(programId),
                new TokenRequest { Email = "stranger@example.com", Code = "123456" }, Address, default),
                ApplicationErrors.CodeInvalid);
        Failed(await Auth.IssueTokenAsync(await Services.ProgramAsync(programId),
            new TokenRequest { Email = "stranger@example.com", Code = "123456" }, Address, default),
            ApplicationErrors.CodeLocked);
        // Per-identifier limits count for strangers as for members.
        for (var i = 1; i < MemberAuthOptions.CodesPerIdentifier; i++)
        {
            Ok(await Auth.RequestCodeAsync(await Services.ProgramAsync(programId), new CodeRequest { Email = "member@example.com" }, Address, default));
            Ok(await Auth.RequestCodeAsync(await Services.ProgramAsync(programId), new CodeRequest { Email = "stranger@example.com" }, Address, default));
        }
        Failed(await Auth.RequestCodeAsync(await Services.ProgramAsync(programId),
            new CodeRequest { Email = "member@example.com" }, Address, default), ApplicationErrors.RateLimited);
        Failed(await Auth.RequestCodeAsync(await Services.ProgramAsync(programId),
            new CodeRequest { Email = "stranger@example.com" }, Address, default), ApplicationErrors.RateLimited);

        Clock.Advance(MemberAuthOptions.Window);
        Ok(await Auth.RequestCodeAsync(await Services.ProgramAsync(programId), new CodeRequest { Email = "stranger@example.com" }, Address, default));
    }

    [Fact]
    public async Task One_client_address_is_limited_per_hour_for_codes_and_for_tokens_separately()
    {
        var auth = CreateServices(s => s.AddSingleton(MemberAuthOptions.Development() with { RequestsPerAddress = 3 })).MemberAuth;
        var programId = await CreateProgramAsync();

        for (var i = 0; i < 3; i++)
            Ok(await auth.RequestCodeAsync(await Services.ProgramAsync(programId), new CodeRequest { Phone = $"070123456{i}" }, Address, default));
        Failed(await auth.RequestCodeAsync(await Services.ProgramAsync(programId),
            new CodeRequest { Phone = "0701234569" }, Address, default), ApplicationErrors.RateLimited);
        Ok(await auth.RequestCodeAsync(await Services.ProgramAsync(programId), new CodeRequest { Phone = "0701234569" }, "198.51.100.1", default));
        Failed(await auth.IssueTokenAsync(await Services.ProgramAsync(programId), new TokenRequest { Phone = "0701234569", Code = "123456" }, Address, default),
            ApplicationErrors.CodeInvalid);
    }

    [Fact]
    public async Task An_email_carries_a_magic_link_that_signs_in_once_and_only_in_its_program()
    {
        var withLinks = MemberAuthOptions.Development() with { LinkBaseUrl = new Uri("https://shop.example.com/login?from=mail") };
        var auth = CreateServices(s => s.AddSingleton(withLinks)).MemberAuth;
        var programId = await CreateProgramAsync();
        var otherProgram = await CreateProgramAsync("other");
        var member = (await EnrolAsync(programId, new EnrolMember { Email = "ada@example.com" })).Profile.MemberId;
        Ok(await auth.RequestCodeAsync(await Services.ProgramAsync(programId), new CodeRequest { Email = "ada@example.com" }, Address, default));

        var link = new Uri((await SentCodeAsync()).Link!);
        Assert.StartsWith("https://shop.example.com/login?from=mail&token=", link.AbsoluteUri, StringComparison.Ordinal);
        var token = Uri.UnescapeDataString(link.Query.Split("token=")[1]);

        Failed(await auth.IssueTokenAsync(await Services.ProgramAsync(otherProgram),
            new TokenRequest { Link = token }, Address, default), ApplicationErrors.CodeInvalid);
        Assert.Equal(member, Ok(await auth.IssueTokenAsync(await Services.ProgramAsync(programId),
            new TokenRequest { Link = token }, Address, default)).MemberId);
        Failed(await auth.IssueTokenAsync(await Services.ProgramAsync(programId),
            new TokenRequest { Link = token }, Address, default), ApplicationErrors.CodeInvalid);
        Failed(await auth.IssueTokenAsync(await Services.ProgramAsync(programId),
            new TokenRequest { Link = "garbage" }, Address, default), ApplicationErrors.CodeInvalid);
    }

    [Fact]
    public async Task A_token_from_another_key_or_a_tampered_token_is_no_one()
    {
        var programId = await CreateProgramAsync();
        var member = (await EnrolAsync(programId, new EnrolMember { Phone = "0701234567" })).Profile.MemberId;
        Ok(await Auth.RequestCodeAsync(await Services.ProgramAsync(programId), new CodeRequest { Phone = "0701234567" }, Address, default));
        var token = Ok(await Auth.IssueTokenAsync(await Services.ProgramAsync(programId),
            new TokenRequest { Phone = "0701234567", Code = (await SentCodeAsync()).Code }, Address, default))
            .Token;
        var parts = token.Split('.');

        Assert.Null(CreateServices().MemberAuth.Authenticate(token));
        Assert.Null(Auth.Authenticate($"{parts[0]}.{parts[1]}x.{parts[2]}"));
        Assert.Null(Auth.Authenticate($"{parts[0]}.{parts[1]}."));
        Assert.Equal(member, Auth.Authenticate(token)!.MemberId);
    }

    [Fact]
    public async Task Mistakes_in_requests_are_validation_errors()
    {
        var programId = await CreateProgramAsync();

        Failed(await Auth.RequestCodeAsync(await Services.ProgramAsync(programId), new CodeRequest(), Address, default), ApplicationErrors.IdentifierCount);
        Failed(await Auth.RequestCodeAsync(await Services.ProgramAsync(programId),
            new CodeRequest { Phone = "0701234567", Email = "a@example.com" }, Address, default),
            ApplicationErrors.IdentifierCount);
        Failed(await Auth.RequestCodeAsync(await Services.ProgramAsync(programId),
            new CodeRequest { Phone = "12" }, Address, default), ApplicationErrors.InvalidPhone);
        Failed(await Auth.IssueTokenAsync(await Services.ProgramAsync(programId), new TokenRequest { Phone = "0701234567", Code = "12345" }, Address, default),
            Core.Validation.ErrorCodes.OutOfRange);
        Failed(await Auth.IssueTokenAsync(await Services.ProgramAsync(programId), new TokenRequest { Link = "x", Code = "123456" }, Address, default),
            Core.Validation.ErrorCodes.InvalidCombination);
    }

    [Fact]
    public async Task The_sweep_removes_codes_and_counters_once_nothing_needs_them()
    {
        var programId = await CreateProgramAsync();
        Ok(await Auth.RequestCodeAsync(await Services.ProgramAsync(programId), new CodeRequest { Phone = "0701234567" }, Address, default));

        Assert.Equal(0, await Auth.SweepAsync(default));
        Clock.Advance(MemberAuthOptions.Window + TimeSpan.FromMinutes(1));

        Assert.Equal(2, await Auth.SweepAsync(default));
        Assert.Empty(await Account.GetTable(Storage.Names.MemberAuth).QueryAsync<TableEntity>().ToListAsync());
    }

    [Fact]
    public async Task A_contact_change_code_has_the_limits_and_lock_of_a_sign_in_code_and_a_taken_number_gets_none()
    {
        var programId = await CreateProgramAsync();
        var member = (await EnrolAsync(programId, new EnrolMember { Phone = "0701234567" })).Profile.MemberId;
        var other = (await EnrolAsync(programId, new EnrolMember { Phone = "0707654321" })).Profile.MemberId;
        await DrainNotificationsAsync();
        var self = Services.SelfService;
        var program = await Services.ProgramAsync(programId);
        var change = new UpdateContact { Email = "new@example.com" };

        var pending = Ok(await self.UpdateContactAsync(program, member, change, Address, default));
        Assert.Equal(new PendingContact("email", "new@example.com", "email", 600), Assert.Single(pending.Pending));
        var code = await SentCodeAsync();
        Assert.Equal(("new@example.com", member), (code.Destination, code.MemberId));
        var wrong = code.Code == "000000" ? "000001" : "000000";
        var confirm = new ContactConfirmation { Email = "New@Example.com", Code = wrong };
        for (var attempt = 1; attempt < MemberAuthOptions.MaxFailedAttempts; attempt++)
            Failed(await self.ConfirmContactAsync(program, member, confirm, Address, default), ApplicationErrors.CodeInvalid);
        Failed(await self.ConfirmContactAsync(program, member, confirm, Address, default), ApplicationErrors.CodeLocked);
        Failed(await self.ConfirmContactAsync(program, member, confirm with { Code = code.Code }, Address, default), ApplicationErrors.CodeLocked);
        // Another member's code for the same address is theirs alone.
        Failed(await self.ConfirmContactAsync(program, other, confirm with { Code = code.Code }, Address, default), ApplicationErrors.CodeInvalid);

        // Five codes per address per hour, whoever asks for them.
        for (var i = 1; i < MemberAuthOptions.CodesPerIdentifier; i++)
            Ok(await self.UpdateContactAsync(program, i % 2 == 0 ? member : other, change, Address, default));
        Failed(await self.UpdateContactAsync(program, other, change, Address, default), ApplicationErrors.RateLimited);
        await DrainNotificationsAsync();
        Clock.Advance(MemberAuthOptions.Window);
        Ok(await self.UpdateContactAsync(program, member, change, Address, default));
        var fresh = await SentCodeAsync();
        Clock.Advance(MemberAuthOptions.CodeLifetime);
        Failed(await self.ConfirmContactAsync(program, member, confirm with { Code = fresh.Code }, Address, default), ApplicationErrors.CodeExpired);

        // Another member's number: the same answer, and no message to that member.
        var taken = Ok(await self.UpdateContactAsync(program, member, new UpdateContact { Phone = "0707654321" }, Address, default));
        Assert.Equal(new PendingContact("phone", "+46707654321", "sms", 600), Assert.Single(taken.Pending));
        Assert.Empty((await DrainNotificationsAsync()).SelectMany(n => n.Events).OfType<MemberCodeIssued>());
        Assert.Equal("+46701234567", Ok(await Members.GetAsync(await Services.ProgramAsync(programId), member, default)).Profile.Phone);
    }

    /// <summary>The one code on the notifications queue (everything is taken off it: enrolment's welcome voucher too).</summary>
    private async Task<MemberCodeIssued> SentCodeAsync() =>
        Assert.Single((await DrainNotificationsAsync()).SelectMany(n => n.Events).OfType<MemberCodeIssued>());
}
