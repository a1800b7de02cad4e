using Microsoft.Extensions.DependencyInjection;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Identities;
using Loyalty.Core.Application.Ports;
using Loyalty.Testing;
using Xunit;

namespace Loyalty.Application.Tests;

public class MemberServiceTests : LoyaltyStorageTest
{
    [Fact]
    public async Task An_enrolled_member_is_found_by_id_card_phone_email_and_external_id_in_any_usual_spelling()
    {
        var programId = await CreateProgramAsync();
        var enrolled = await EnrolAsync(programId, new EnrolMember
        {
            FirstName = " Ada ",
            Email = " Ada.Lovelace@Example.COM ",
            Phone = "070-123 45 67",
            ExternalId = "shop-42",
            BirthDate = new DateOnly(1990, 12, 10),
            Consents = new Dictionary<ConsentChannel, bool> { [ConsentChannel.Email] = true, [ConsentChannel.Sms] = false },
        });

        var profile = enrolled.Profile;
        Assert.True(MemberIds.IsWellFormed(profile.MemberId));
        Assert.Equal(("Ada", "ada.lovelace@example.com", "+46701234567", "shop-42"), (profile.FirstName, profile.Email, profile.Phone, profile.ExternalId));
        Assert.Equal(16, profile.CardNumber.Length);
        Assert.True(CardNumbers.HasValidCheckDigit(profile.CardNumber));
        Assert.Equal(Start, profile.EnrolledAt);
        Assert.Equal((true, Start, "enrolment"), (profile.Consents[ConsentChannel.Email].Granted, profile.Consents[ConsentChannel.Email].ChangedAt,
            profile.Consents[ConsentChannel.Email].Source));
        Assert.False(profile.Consents[ConsentChannel.Sms].Granted);
        Assert.Equal(("Bronze", 0L), (enrolled.View.Tier, enrolled.View.Balance));
        Assert.Equal("welcome", Assert.Single(enrolled.View.OpenVouchers).Id);

        var got = Ok(await Members.GetAsync(await Services.ProgramAsync(programId), profile.MemberId, default));
        Assert.Equal(profile with { Consents = got.Profile.Consents }, got.Profile);
        Assert.Equal(profile.Consents.OrderBy(c => c.Key), got.Profile.Consents.OrderBy(c => c.Key));

        MemberIdentifier[] ways =
        [
            new() { MemberId = profile.MemberId },
            new() { CardNumber = $"{profile.CardNumber[..4]} {profile.CardNumber[4..8]}-{profile.CardNumber[8..]}" },
            new() { Phone = "+46 70 123 45 67" },
            new() { Phone = "0046701234567" },
            new() { Phone = "0701234567" },
            new() { Email = "ADA.LOVELACE@example.com" },
            new() { ExternalId = "shop-42" },
        ];
        foreach (var way in ways)
            Assert.Equal(profile.MemberId, Ok(await Members.IdentifyAsync(await Services.ProgramAsync(programId), way, default)).Profile.MemberId);

        Failed(await Members.IdentifyAsync(await Services.ProgramAsync(programId),
            new MemberIdentifier { Phone = "0701234568" }, default), ApplicationErrors.MemberNotFound);
        Failed(await Members.IdentifyAsync(await Services.ProgramAsync(programId),
            new MemberIdentifier { Email = "ada@example.com" }, default), ApplicationErrors.MemberNotFound);
        Failed(await Members.IdentifyAsync(await Services.ProgramAsync(programId),
            new MemberIdentifier { Phone = "12", }, default), ApplicationErrors.InvalidPhone);
        Failed(await Members.IdentifyAsync(await Services.ProgramAsync(programId), new MemberIdentifier(), default), ApplicationErrors.IdentifierCount);
        Failed(await Members.IdentifyAsync(await Services.ProgramAsync(programId),
            new MemberIdentifier { MemberId = profile.MemberId, Phone = "0701234567" }, default),
            ApplicationErrors.IdentifierCount);
        Failed(await Members.GetAsync(await Services.ProgramAsync(programId), "not a member id", default), ApplicationErrors.MemberNotFound);
        Failed(await Members.IdentifyAsync(await Services.ProgramAsync(programId),
            new MemberIdentifier { ExternalId = "x\u0001/y" }, default), ApplicationErrors.MemberNotFound);
        Failed(await Members.LinkHouseholdAsync(await Services.ProgramAsync(programId), "a/b", profile.MemberId, default), ApplicationErrors.MemberNotFound);
        Failed(await Members.UpdateContactAsync(await Services.ProgramAsync(programId),
            "a/b", new UpdateContact(), new StaffChange("k1", Admin: false), default),
            ApplicationErrors.MemberNotFound);
    }

    [Fact]
    public async Task A_taken_identity_refuses_the_enrolment_and_releases_what_it_had_claimed()
    {
        var programId = await CreateProgramAsync();
        var first = await EnrolAsync(programId, new EnrolMember { Phone = "+46701234567", CardNumber = "ab-1234" });

        var second = await Members.EnrolAsync(await Services.ProgramAsync(programId),
            new EnrolMember { Phone = "070 123 45 67", Email = "b@example.com", ExternalId = "x-1" }, default);
        var error = Failed(second, ApplicationErrors.IdentityTaken);
        Assert.Equal("phone", error.Path);
        Failed(await Members.EnrolAsync(await Services.ProgramAsync(programId),
            new EnrolMember { CardNumber = "AB1234" }, default), ApplicationErrors.IdentityTaken);

        // The refused enrolment's e-mail and external id are free again.
        var third = await EnrolAsync(programId, new EnrolMember { Email = "B@example.com", ExternalId = "x-1" });
        Assert.Equal(third.Profile.MemberId, Ok(await Members.IdentifyAsync(await Services.ProgramAsync(programId),
            new MemberIdentifier { ExternalId = "x-1" }, default)).Profile.MemberId);
        Assert.Equal(first.Profile.MemberId, Ok(await Members.IdentifyAsync(await Services.ProgramAsync(programId),
            new MemberIdentifier { CardNumber = "ab1234" }, default))
            .Profile.MemberId);

        var invalid = await Members.EnrolAsync(await Services.ProgramAsync(programId), new EnrolMember { Phone = "123", Email = "nope" }, default);
        Assert.Equal([(ApplicationErrors.InvalidEmail, "email"), (ApplicationErrors.InvalidPhone, "phone")], invalid.Errors.Select(e => (e.Code, e.Path))
            .Order());
    }

    [Fact]
    public async Task An_identity_left_behind_by_a_crashed_enrolment_is_reclaimed_once_it_is_old_enough()
    {
        var programId = await CreateProgramAsync();
        var orphan = new IdentityKey(programId, IdentityKind.Phone, "+46701234567");
        Assert.NotNull(await Port<IIdentityStore>().TryInsertAsync(orphan, MemberIds.Generate(), Clock.GetUtcNow(), default));

        // Young: it may be an enrolment still writing its member.
        Failed(await Members.EnrolAsync(await Services.ProgramAsync(programId),
            new EnrolMember { Phone = "0701234567" }, default), ApplicationErrors.IdentityTaken);
        Failed(await Members.IdentifyAsync(await Services.ProgramAsync(programId),
            new MemberIdentifier { Phone = "0701234567" }, default), ApplicationErrors.MemberNotFound);

        Clock.Advance(IdentityClaims.OrphanAfter + TimeSpan.FromSeconds(1));
        var member = await EnrolAsync(programId, new EnrolMember { Phone = "0701234567" });
        Assert.Equal(member.Profile.MemberId, (await Port<IIdentityStore>().GetAsync(orphan, default))!.MemberId);
        Assert.Equal(member.Profile.MemberId, Ok(await Members.IdentifyAsync(await Services.ProgramAsync(programId),
            new MemberIdentifier { Phone = "0701234567" }, default))
            .Profile.MemberId);
    }

    [Fact]
    public async Task Changing_phone_and_email_moves_their_identities()
    {
        var programId = await CreateProgramAsync();
        var member = (await EnrolAsync(programId, new EnrolMember { Phone = "0701234567", Email = "old@example.com" })).Profile.MemberId;
        var other = (await EnrolAsync(programId, new EnrolMember { Phone = "0709999999" })).Profile.MemberId;

        Failed(await Members.UpdateContactAsync(await Services.ProgramAsync(programId),
            member, new UpdateContact { Phone = "+46709999999" }, new StaffChange("k1", Admin: false), default),
            ApplicationErrors.IdentityTaken);

        Clock.Advance(TimeSpan.FromMinutes(1));
        var updated = Ok(await Members.UpdateContactAsync(await Services.ProgramAsync(programId), member, new UpdateContact
        {
            Phone = "0707654321",
            Email = "New@Example.com",
            LastName = "Lovelace",
            BirthDate = new DateOnly(1990, 5, 1),
            Consents = new Dictionary<ConsentChannel, bool> { [ConsentChannel.Push] = true },
        }, new StaffChange("k1", Admin: false), default));
        Assert.Equal(("+46707654321", "new@example.com", "Lovelace", new DateOnly(1990, 5, 1)),
            (updated.Profile.Phone, updated.Profile.Email, updated.Profile.LastName, updated.Profile.BirthDate));
        Assert.Equal(("staff:k1", Start.AddMinutes(1)),
            (updated.Profile.Consents[ConsentChannel.Push].Source, updated.Profile.Consents[ConsentChannel.Push].ChangedAt));

        Assert.Equal(member, Ok(await Members.IdentifyAsync(await Services.ProgramAsync(programId),
            new MemberIdentifier { Phone = "0707654321" }, default)).Profile.MemberId);
        Assert.Equal(member, Ok(await Members.IdentifyAsync(await Services.ProgramAsync(programId),
            new MemberIdentifier { Email = "new@example.com" }, default)).Profile.MemberId);
        Failed(await Members.IdentifyAsync(await Services.ProgramAsync(programId),
            new MemberIdentifier { Phone = "0701234567" }, default), ApplicationErrors.MemberNotFound);
        Failed(await Members.IdentifyAsync(await Services.ProgramAsync(programId),
            new MemberIdentifier { Email = "old@example.com" }, default), ApplicationErrors.MemberNotFound);

        // The old number is free for someone else; the failed attempt above left the other member's number alone.
        await EnrolAsync(programId, new EnrolMember { Phone = "0701234567" });
        Assert.Equal(other, Ok(await Members.IdentifyAsync(await Services.ProgramAsync(programId),
            new MemberIdentifier { Phone = "0709999999" }, default)).Profile.MemberId);
        var stored = await Port<IMemberStore>().GetAsync(new MemberKey(programId, 8, member), default);
        Assert.Equal(new DateOnly(1990, 5, 1), stored!.State.Birthday);
    }

    [Fact]
    public async Task Concurrent_contact_updates_all_land_by_reloading_and_retrying()
    {
        var programId = await CreateProgramAsync();
        var member = (await EnrolAsync(programId)).Profile.MemberId;
        ConsentChannel[] channels = [ConsentChannel.Email, ConsentChannel.Sms, ConsentChannel.Push];

        var program = await Services.ProgramAsync(programId);
        var results = await Task.WhenAll(channels.Select(channel =>
            Services.SelfService.UpdateContactAsync(program, member,
                new UpdateContact { Consents = new Dictionary<ConsentChannel, bool> { [channel] = true } }, "203.0.113.7", default)));

        Assert.All(results, r => Assert.Equal(member, Ok(r).Profile.MemberId));
        var consents = Ok(await Members.GetAsync(await Services.ProgramAsync(programId), member, default)).Profile.Consents;
        Assert.Equal(channels, consents.Where(c => c.Value.Granted).Select(c => c.Key).Order());
    }

    [Fact]
    public async Task Household_members_share_the_household_of_its_first_member()
    {
        var programId = await CreateProgramAsync();
        var head = (await EnrolAsync(programId)).Profile.MemberId;
        var partner = (await EnrolAsync(programId)).Profile.MemberId;
        var child = await EnrolAsync(programId, new EnrolMember { HouseholdOf = partner });
        Assert.Equal(partner, child.Profile.HouseholdId);

        Assert.Equal(head, Ok(await Members.LinkHouseholdAsync(await Services.ProgramAsync(programId), partner, head, default)).Profile.HouseholdId);
        Assert.Equal(head, (await Members.EnrolAsync(await Services.ProgramAsync(programId),
            new EnrolMember { HouseholdOf = partner }, default)).Value.Profile.HouseholdId);
        Assert.Equal("householdOf", Failed(await Members.LinkHouseholdAsync(await Services.ProgramAsync(programId), partner, MemberIds.Generate(), default),
            ApplicationErrors.MemberNotFound).Path);
        Failed(await Members.LinkHouseholdAsync(await Services.ProgramAsync(programId),
            partner, partner, default), Core.Validation.ErrorCodes.InvalidCombination);
    }

    [Fact]
    public async Task A_member_of_one_program_is_not_reachable_through_another()
    {
        var zoo = await CreateProgramAsync("zoo", shards: 1);
        var garden = await CreateProgramAsync("garden", shards: 1);
        var member = (await EnrolAsync(zoo, new EnrolMember { Phone = "0701234567", Email = "a@example.com" })).Profile;

        Failed(await Members.GetAsync(await Services.ProgramAsync(garden), member.MemberId, default), ApplicationErrors.MemberNotFound);
        Failed(await Members.IdentifyAsync(await Services.ProgramAsync(garden),
            new MemberIdentifier { Phone = "0701234567" }, default), ApplicationErrors.MemberNotFound);
        Failed(await Members.IdentifyAsync(await Services.ProgramAsync(garden),
            new MemberIdentifier { CardNumber = member.CardNumber }, default), ApplicationErrors.MemberNotFound);
        Failed(await Members.RedeemVoucherAsync(await Services.ProgramAsync(garden),
            member.MemberId, "welcome", "r1", default), ApplicationErrors.MemberNotFound);
        Failed(await Members.ListLedgerAsync(await Services.ProgramAsync(garden),
            member.MemberId, new PageRequest(), default), ApplicationErrors.MemberNotFound);

        // The same phone and e-mail are free in the other program.
        await EnrolAsync(garden, new EnrolMember { Phone = "0701234567", Email = "a@example.com" });
    }

    [Fact]
    public async Task An_enrolment_stopped_after_its_member_is_written_keeps_the_members_identities()
    {
        var programId = await CreateProgramAsync();
        // The welcome voucher's notification goes out after the member is written; the host stops just then.
        var stopping = CreateServices(s => s.AddSingleton(FailingPort<INotificationQueue>.Wrap(Port<INotificationQueue>(),
            _ => new OperationCanceledException())));
        var program = await stopping.ProgramAsync(programId);
        await Assert.ThrowsAsync<OperationCanceledException>(() => stopping.Members.EnrolAsync(program, new EnrolMember { Phone = "0701234567" }, default));

        Ok(await Members.IdentifyAsync(await Services.ProgramAsync(programId), new MemberIdentifier { Phone = "0701234567" }, default));
    }
}
