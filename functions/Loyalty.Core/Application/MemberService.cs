using System.Collections.Immutable;
using Loyalty.Core.Application.Identities;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Application.Receipts;
using Loyalty.Core.Ledger;
using Loyalty.Core.Members;
using Loyalty.Core.Programs;
using Loyalty.Core.Validation;
using Loyalty.Core.Views;
using static Loyalty.Core.Application.Refusals;

namespace Loyalty.Core.Application;

public sealed class MemberService : IMemberService
{
    /// <summary>The audit action of a staff change of contact details.</summary>
    public const string ContactUpdateAction = "contact.update";

    /// <summary>The consent source of the member's own changes.</summary>
    private const string SelfSource = "member";

    private readonly IMemberStore members;
    private readonly IMemberHistory history;
    private readonly IdentityClaims identities;
    private readonly MemberCommits commits;
    private readonly ReceiptService receipts;
    private readonly IAuditLog audit;
    private readonly Continuations continuations;
    private readonly TimeProvider time;

    public MemberService(
        IMemberStore members, IMemberHistory history, IdentityClaims identities, MemberCommits commits, ReceiptService receipts,
        IAuditLog audit,
        Continuations continuations, TimeProvider time)
    {
        this.audit = audit;
        this.continuations = continuations;
        this.members = members;
        this.history = history;
        this.identities = identities;
        this.commits = commits;
        this.receipts = receipts;
        this.time = time;
    }

    public Task<Result<MemberDetails>> EnrolAsync(LoadedProgram program, EnrolMember request, CancellationToken cancellationToken) =>
        EnrolAsync(program, request, MemberIds.Generate(), cancellationToken);

    /// <param name="memberId">
    /// New, or one whose enrolment a crash cut short: the claims it left point at this id, so they are taken back at once.
    /// </param>
    internal async Task<Result<MemberDetails>> EnrolAsync(LoadedProgram program, EnrolMember request, string memberId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var compiled = program.InForceAt(now);
        var today = compiled.LocalDate(now);

        var errors = new ErrorList();
        var firstName = ContactFields.Name(errors, request.FirstName, "firstName");
        var lastName = ContactFields.Name(errors, request.LastName, "lastName");
        var email = Blank(ContactFields.Email(errors, request.Email));
        var phone = Blank(ContactFields.Phone(errors, request.Phone, program.Settings.DefaultCountry));
        ContactFields.BirthDate(errors, request.BirthDate, today);
        var interests = ContactFields.Interests(errors, request.Interests);
        string? card = null;
        if (request.CardNumber is not null && !CardNumbers.TryNormalize(request.CardNumber, out card))
            errors.Add(ErrorCodes.InvalidIdentifier, "cardNumber", "A card number has 4–32 letters and digits (spaces and dashes are ignored).");
        if (request.ExternalId is not null) errors.Identifier(request.ExternalId, "externalId");
        if (request.StoreId is not null) errors.Identifier(request.StoreId, "storeId");
        if (errors.Any) return Result<MemberDetails>.Fail(errors.Items);

        string? householdId = null;
        if (request.HouseholdOf is { } head)
        {
            if (await FindAsync(program, head, cancellationToken) is not { } found)
                return Result<MemberDetails>.Fail(ApplicationErrors.MemberNotFound, "householdOf", $"There is no member '{head}' whose household to join.");
            householdId = found.Profile.HouseholdId ?? found.Profile.MemberId;
        }

        var enrolled = MemberBook.Enrol(compiled, memberId, today, request.BirthDate);
        if (!enrolled.IsValid) return Result<MemberDetails>.Fail(enrolled.Errors);

        var wanted = new List<(IdentityKey Key, string Path)>();
        void Want(IdentityKind kind, string? value, string path)
        {
            if (value is not null) wanted.Add((new IdentityKey(program.Settings.ProgramId, kind, value), path));
        }
        Want(IdentityKind.Card, card, "cardNumber");
        Want(IdentityKind.Phone, phone, "phone");
        Want(IdentityKind.Email, email, "email");
        Want(IdentityKind.External, request.ExternalId, "externalId");

        var claimed = new List<IdentityKey>();
        var written = false;
        try
        {
            foreach (var (key, path) in wanted)
            {
                if (await identities.ClaimAsync(key, program, memberId, cancellationToken) is not null) claimed.Add(key);
                else errors.Add(ApplicationErrors.IdentityTaken, path, $"Another member of the program already has this {Describe(key.Kind)}.");
            }
            if (card is null)
            {
                (card, var key) = await ClaimDigitalCardAsync(program, memberId, cancellationToken);
                claimed.Add(key);
            }
            if (errors.Any)
            {
                await identities.ReleaseAllAsync(claimed, memberId, CancellationToken.None);
                return Result<MemberDetails>.Fail(errors.Items);
            }

            var profile = new MemberProfile
            {
                MemberId = memberId,
                FirstName = Blank(firstName),
                LastName = Blank(lastName),
                Email = email,
                Phone = phone,
                CardNumber = card,
                ExternalId = request.ExternalId,
                BirthDate = request.BirthDate,
                Interests = interests ?? [],
                StoreId = request.StoreId,
                HouseholdId = householdId,
                Consents = ContactFields.Consents(ImmutableDictionary<ConsentChannel, Consent>.Empty, request.Consents, now, request.StoreId is { } store
                ? $"store:{store}" : "enrolment"),
                EnrolledAt = now,
            };
            var write = MemberWrite.From(program, profile, new MemberActivity(), enrolled.Value, now) with
            {
                ConsentChanges = ConsentHistory.Changes(ImmutableDictionary<ConsentChannel, Consent>.Empty, profile.Consents),
            };
            var member = program.Member(memberId);
            await members.InsertAsync(member, write, cancellationToken);
            written = true;
            await AfterCommitAsync(program, member, write.Outbox, claimed, cancellationToken);
            return Details(program, profile, write.State, now);
        }
        catch when (!written)
        {
            // Claims without a member would block these identities until the orphan rule frees them. Once the member is
            // written they are its identities, whatever fails after (a cancellation while delivering its notification).
            await identities.ReleaseAllAsync(claimed, memberId, CancellationToken.None);
            throw;
        }
    }

    public async Task<Result<MemberDetails>> IdentifyAsync(LoadedProgram program, MemberIdentifier identifier, CancellationToken cancellationToken)
    {
        var errors = new ErrorList();
        var resolved = MemberIdentifiers.Resolve(identifier, program, errors);
        if (errors.Any) return Result<MemberDetails>.Fail(errors.Items);
        var memberId = resolved.Identity is { } key ? await identities.FindAsync(key, cancellationToken) : resolved.MemberId;

        // An orphaned claim (enrolment crashed before writing the member) finds no member: not found, like no claim.
        return memberId is not null && await FindAsync(program, memberId, cancellationToken) is { } member
            ? Details(program, member.Profile, member.State, time.GetUtcNow())
            : MemberNotFound<MemberDetails>();
    }

    public async Task<Result<MemberDetails>> GetAsync(LoadedProgram program, string memberId, CancellationToken cancellationToken)
    {
        return await FindAsync(program, memberId, cancellationToken) is { } member
            ? Details(program, member.Profile, member.State, time.GetUtcNow())
            : MemberNotFound<MemberDetails>();
    }

    public async Task<Result<MemberDetails>> UpdateContactAsync(LoadedProgram program, string memberId, UpdateContact request, StaffChange by,
        CancellationToken cancellationToken)
    {
        if (await FindAsync(program, memberId, cancellationToken) is not { } before) return MemberNotFound<MemberDetails>();
        var contact = Validate(program, request);
        if (!contact.IsValid) return Result<MemberDetails>.Fail(contact.Errors);
        var changed = await ChangeContactAsync(program, before, contact.Value, by.Source, cancellationToken);
        if (!changed.IsValid) return Result<MemberDetails>.Fail(changed.Errors);
        // The clerk saw the customer, so the change is immediate; the trail says who made it and which fields, never the values.
        await audit.AppendAsync(AuditEntry.Create(program.Settings.ProgramId, memberId, time.GetUtcNow(), by.KeyId, ContactUpdateAction, by.Reason,
            changed.Value.Fields.Count == 0 ? null : string.Join(", ", changed.Value.Fields)), cancellationToken);
        return changed.Value.Member;
    }

    /// <summary>
    /// The member's own change (a member token): names, birth date, interests and consents apply at once, as does
    /// clearing a phone or e-mail; a new phone or e-mail only after the member confirms the code sent to it
    /// (<see cref="ConfirmOwnContactAsync"/>), so nobody can take a number, and receipts parked under it, without holding it.
    /// </summary>
    internal async Task<Result<ContactUpdate>> UpdateOwnContactAsync(
        LoadedProgram program, string memberId, UpdateContact request, Func<IdentityKey, Task<Result<MemberAuth.CodeSent>>> sendCode,
            CancellationToken cancellationToken)
    {
        if (await FindAsync(program, memberId, cancellationToken) is not { } before) return MemberNotFound<ContactUpdate>();
        var contact = Validate(program, request);
        if (!contact.IsValid) return Result<ContactUpdate>.Fail(contact.Errors);

        var pending = new List<PendingContact>();
        var wanted = contact.Value;
        foreach (var (kind, current, requested) in new[] { (IdentityKind.Phone, before.Profile.Phone, wanted.Phone),
            (IdentityKind.Email, before.Profile.Email, wanted.Email) })
        {
            if (requested is not { Length: > 0 } value || value == current) continue;
            var sent = await sendCode(new IdentityKey(program.Settings.ProgramId, kind, value));
            if (!sent.IsValid) return Result<ContactUpdate>.Fail(sent.Errors);
            pending.Add(new PendingContact(kind == IdentityKind.Phone ? "phone" : "email", value, sent.Value.Channel, sent.Value.ExpiresInSeconds));
        }
        var immediate = wanted with
        {
            Phone = pending.Any(p => p.Field == "phone") ? null : wanted.Phone,
            Email = pending.Any(p => p.Field == "email") ? null : wanted.Email,
        };
        var changed = await ChangeContactAsync(program, before, immediate, SelfSource, cancellationToken);
        return changed.IsValid
            ? new ContactUpdate(changed.Value.Member.Profile, changed.Value.Member.View, pending)
            : Result<ContactUpdate>.Fail(changed.Errors);
    }

    /// <summary>
    /// Applies a phone or e-mail the member has proved to hold (<paramref name="verify"/> checks the code): claims it
    /// (taken by someone else by now: identity.taken), frees the old one and applies receipts parked under it.
    /// </summary>
    internal async Task<Result<MemberDetails>> ConfirmOwnContactAsync(
        LoadedProgram program, string memberId, string? phone, string? email, Func<IdentityKey, Task<Result<bool>>> verify, CancellationToken cancellationToken)
    {
        var errors = new ErrorList();
        if ((phone is null) == (email is null)) errors.Add(ApplicationErrors.IdentifierCount, "", "Give exactly one of phone and email, as in the change.");
        var contact = Validate(program, new UpdateContact { Phone = phone, Email = email });
        if (!contact.IsValid) errors.AddRange(contact.Errors);
        var valid = contact.IsValid ? contact.Value : null;
        var (kind, value) = phone is not null ? (IdentityKind.Phone, valid?.Phone) : (IdentityKind.Email, valid?.Email);
        if (!errors.Any && value is not { Length: > 0 }) errors.Add(ErrorCodes.Required, kind == IdentityKind.Phone ? "phone" : "email",
            "Give the new phone number or e-mail address the code was sent to.");
        if (errors.Any) return Result<MemberDetails>.Fail(errors.Items);
        if (await FindAsync(program, memberId, cancellationToken) is not { } before) return MemberNotFound<MemberDetails>();

        var verified = await verify(new IdentityKey(program.Settings.ProgramId, kind, value!));
        if (!verified.IsValid) return Result<MemberDetails>.Fail(verified.Errors);
        var changed = await ChangeContactAsync(program, before, contact.Value!, SelfSource, cancellationToken);
        return changed.IsValid ? changed.Value.Member : Result<MemberDetails>.Fail(changed.Errors);
    }

    private Result<ContactInput> Validate(LoadedProgram program, UpdateContact request)
    {
        var errors = new ErrorList();
        var firstName = ContactFields.Name(errors, request.FirstName, "firstName");
        var lastName = ContactFields.Name(errors, request.LastName, "lastName");
        var email = ContactFields.Email(errors, request.Email);
        var phone = ContactFields.Phone(errors, request.Phone, program.Settings.DefaultCountry);
        var now = time.GetUtcNow();
        ContactFields.BirthDate(errors, request.BirthDate, program.InForceAt(now).LocalDate(now));
        var interests = ContactFields.Interests(errors, request.Interests);
        return errors.Any
            ? Result<ContactInput>.Fail(errors.Items)
            : new ContactInput(firstName, lastName, email, phone, request.BirthDate, interests, request.Consents);
    }

    /// <returns>The member after the change, and which fields it changed.</returns>
    private async Task<Result<(MemberDetails Member, IReadOnlyList<string> Fields)>> ChangeContactAsync(
        LoadedProgram program, StoredMember before, ContactInput contact, string source, CancellationToken cancellationToken)
    {
        var programId = program.Settings.ProgramId;
        var memberId = before.Profile.MemberId;
        var errors = new ErrorList();
        // Identities move as claim new, write member, release old: a crash in between leaves the member reachable by both,
        // never by neither.
        var moves = new List<(IdentityKey? Old, IdentityKey? New)>();
        void Move(IdentityKind kind, string? current, string? requested)
        {
            if (requested is null || requested == (current ?? "")) return;
            moves.Add((Key(programId, kind, current), Key(programId, kind, Blank(requested))));
        }
        Move(IdentityKind.Phone, before.Profile.Phone, contact.Phone);
        Move(IdentityKind.Email, before.Profile.Email, contact.Email);

        var claimed = new List<IdentityKey>();
        foreach (var (_, key) in moves)
        {
            if (key is null) continue;
            if (await identities.ClaimAsync(key, program, memberId, cancellationToken) is not null) claimed.Add(key);
            else errors.Add(ApplicationErrors.IdentityTaken, key.Kind == IdentityKind.Phone ? "phone" : "email",
                $"Another member of the program already has this {Describe(key.Kind)}.");
        }
        if (errors.Any)
        {
            await identities.ReleaseAllAsync(claimed, memberId, CancellationToken.None);
            return Result<(MemberDetails, IReadOnlyList<string>)>.Fail(errors.Items);
        }

        IReadOnlyList<string> fields = [];
        var now = time.GetUtcNow();
        var result = await ChangeProfileAsync(program, memberId, member =>
        {
            var profile = member.Profile with
            {
                FirstName = contact.FirstName is null ? member.Profile.FirstName : Blank(contact.FirstName),
                LastName = contact.LastName is null ? member.Profile.LastName : Blank(contact.LastName),
                Email = contact.Email is null ? member.Profile.Email : Blank(contact.Email),
                Phone = contact.Phone is null ? member.Profile.Phone : Blank(contact.Phone),
                BirthDate = contact.BirthDate ?? member.Profile.BirthDate,
                Interests = contact.Interests ?? member.Profile.Interests,
                Consents = ContactFields.Consents(member.Profile.Consents, contact.Consents, now, source),
            };
            fields = ChangedFields(member.Profile, profile);
            // The birthday reward reads the state's copy of the birth date.
            var state = contact.BirthDate is { } birthDate ? member.State with { Birthday = birthDate } : member.State;
            return (profile, state);
        }, cancellationToken);

        var release = result.IsValid ? moves.Where(m => m.Old is not null).Select(m => m.Old!) : claimed;
        await identities.ReleaseAllAsync(release, memberId, CancellationToken.None);
        if (!result.IsValid) return Result<(MemberDetails, IReadOnlyList<string>)>.Fail(result.Errors);
        await AfterCommitAsync(program, program.Member(memberId), null, claimed, cancellationToken);
        return (result.Value, fields);
    }

    /// <summary>The names of the profile's fields that differ (consents per channel), for the audit trail: never their values.</summary>
    private static List<string> ChangedFields(MemberProfile before, MemberProfile after)
    {
        var fields = new List<string>();
        void Check(string name, bool same)
        {
            if (!same) fields.Add(name);
        }
        Check("firstName", before.FirstName == after.FirstName);
        Check("lastName", before.LastName == after.LastName);
        Check("email", before.Email == after.Email);
        Check("phone", before.Phone == after.Phone);
        Check("birthDate", before.BirthDate == after.BirthDate);
        Check("interests", before.Interests.SequenceEqual(after.Interests));
        foreach (var channel in Enum.GetValues<ConsentChannel>())
            Check($"consents.{channel.ToString().ToLowerInvariant()}",
                before.Consents.GetValueOrDefault(channel)?.Granted == after.Consents.GetValueOrDefault(channel)?.Granted);
        return fields;
    }

    public async Task<Result<MemberDetails>> LinkHouseholdAsync(LoadedProgram program, string memberId, string householdOf, CancellationToken cancellationToken)
    {
        if (memberId == householdOf)
            return Result<MemberDetails>.Fail(ErrorCodes.InvalidCombination, "householdOf", "A member cannot join their own household.");
        if (await FindAsync(program, householdOf, cancellationToken) is not { } head)
            return Result<MemberDetails>.Fail(ApplicationErrors.MemberNotFound, "householdOf", $"There is no member '{householdOf}' whose household to join.");
        var householdId = head.Profile.HouseholdId ?? head.Profile.MemberId;
        return await ChangeProfileAsync(program, memberId, member => (member.Profile with { HouseholdId = householdId }, member.State), cancellationToken);
    }

    public Task<Result<Page<ReceiptSummary>>> ListReceiptsAsync(LoadedProgram program, string memberId, PageRequest page,
        CancellationToken cancellationToken) =>
        ListAsync(program, memberId, "receipts", page, history.ListReceiptsAsync, cancellationToken);

    public Task<Result<Page<LedgerEntry>>> ListLedgerAsync(LoadedProgram program, string memberId, PageRequest page, CancellationToken cancellationToken) =>
        ListAsync(program, memberId, "ledger", page, history.ListLedgerAsync, cancellationToken);

    // The ids name the operation record looked up first thing, so they are checked before it.
    public Task<Result<Outcome>> ChooseVoucherAsync(LoadedProgram program, string memberId, string requestId, decimal value,
        CancellationToken cancellationToken) =>
        ChooseVoucherAsync(program, memberId, requestId, value, VoucherRequester.Till, cancellationToken);

    internal Task<Result<Outcome>> ChooseVoucherAsync(LoadedProgram program, string memberId, string requestId, decimal value, VoucherRequester by,
        CancellationToken cancellationToken) =>
        MemberBook.RequestErrors(requestId, null) is { Count: > 0 } mistakes ? Task.FromResult(Result<Outcome>.Fail(mistakes))
        : ApplyAsync(program, memberId, MemberBook.VoucherOperation(by, requestId), (book, compiled, today) =>
            book.ChooseVoucher(compiled, requestId, value, today, by), cancellationToken);

    public Task<Result<Outcome>> RedeemVoucherAsync(LoadedProgram program, string memberId, string voucherId, string requestId,
        CancellationToken cancellationToken) =>
        MemberBook.RequestErrors(requestId, voucherId ?? "") is { Count: > 0 } mistakes ? Task.FromResult(Result<Outcome>.Fail(mistakes))
        : ApplyAsync(program, memberId, $"redeem:{requestId}", (book, compiled, today) => book.RedeemVoucher(compiled, requestId, voucherId!, today),
            cancellationToken);

    private async Task<Result<Outcome>> ApplyAsync(
        LoadedProgram program, string memberId, string operationId, Func<MemberBook, CompiledProgram, DateOnly, Result<BookChange>> operation,
            CancellationToken cancellationToken)
    {
        if (!MemberIds.IsWellFormed(memberId)) return MemberNotFound<Outcome>();
        return await commits.RunAsync(program.Member(memberId), operationId, [], (_, book, now) =>
        {
            var compiled = program.InForceAt(now);
            return Task.FromResult(operation(book, compiled, compiled.LocalDate(now)));
        }, (member, change, now) => MemberWrite.From(program, member.Profile, member.Activity, change, now), cancellationToken);
    }

    /// <summary>
    /// Delivers the write's notification and applies receipts parked under identities the member just claimed. The
    /// member is written already, so a failure here must not fail the request: the outbox and parked-receipt sweeps
    /// finish the job (docs/pos-integration.md).
    /// </summary>
    private async Task AfterCommitAsync(
        LoadedProgram program, MemberKey key, Events.Notification? outbox, IReadOnlyList<IdentityKey> claimed, CancellationToken cancellationToken)
    {
        try
        {
            if (outbox is not null) await commits.DeliverAsync(key, outbox, cancellationToken);
            foreach (var identity in claimed)
                await receipts.ReplayParkedAsync(program, identity, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Deliberately swallowed: see the summary. The sweeps retry.
        }
    }

    private async Task<Result<MemberDetails>> ChangeProfileAsync(
        LoadedProgram program, string memberId, Func<StoredMember, (MemberProfile Profile, MemberState State)> change, CancellationToken cancellationToken)
    {
        if (!MemberIds.IsWellFormed(memberId)) return MemberNotFound<MemberDetails>();
        var key = program.Member(memberId);
        return await Concurrency.RetryAsync(async () =>
        {
            if (await members.GetAsync(key, cancellationToken) is not { Profile.ErasedAt: null } member) return MemberNotFound<MemberDetails>();
            var (profile, state) = change(member);
            var now = time.GetUtcNow();
            // A new birth date moves the birthday reward, so the review date moves with it.
            var write = MemberWrite.From(program, profile, state, member.Activity, now) with
            {
                ConsentChanges = ConsentHistory.Changes(member.Profile.Consents, profile.Consents),
            };
            var committed = await members.CommitAsync(key, write, member.ConcurrencyToken, cancellationToken);
            return committed == CommitResult.Committed ? Result<MemberDetails>.Ok(Details(program, profile, state, now)) : null;
        }, cancellationToken);
    }

    private async Task<Result<Page<T>>> ListAsync<T>(
        LoadedProgram program, string memberId, string kind, PageRequest page, Func<MemberKey, int, string?, CancellationToken, Task<CursorPage<T>>> list,
            CancellationToken cancellationToken)
    {
        var listing = $"{program.Settings.ProgramId}|{memberId}|{kind}";
        if (continuations.Check(page, listing, out var after) is { Count: > 0 } mistakes) return Result<Page<T>>.Fail(mistakes);
        if (await FindAsync(program, memberId, cancellationToken) is null) return MemberNotFound<Page<T>>();
        return continuations.Page(await list(program.Member(memberId), page.PageSize, after, cancellationToken), listing);
    }

    /// <summary>The member, unless erased: an erased member is gone for every business purpose (only GDPR export and audit still see it).</summary>
    private async Task<StoredMember?> FindAsync(LoadedProgram program, string memberId, CancellationToken cancellationToken) =>
        MemberIds.IsWellFormed(memberId) && await members.GetAsync(program.Member(memberId), cancellationToken) is { Profile.ErasedAt: null } member
            ? member
            : null;

    /// <summary>Digital card numbers are random; a collision with an existing card is merely retried.</summary>
    private async Task<(string Card, IdentityKey Key)> ClaimDigitalCardAsync(LoadedProgram program, string memberId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var card = CardNumbers.GenerateDigital();
            var key = new IdentityKey(program.Settings.ProgramId, IdentityKind.Card, card);
            if (await identities.ClaimAsync(key, program, memberId, cancellationToken) is not null) return (card, key);
        }
        throw new InvalidOperationException("Five random digital card numbers in a row were taken: the random source or the identities table is broken.");
    }

    private MemberDetails Details(LoadedProgram program, MemberProfile profile, MemberState state, DateTimeOffset now)
    {
        var compiled = program.InForceAt(now);
        return new MemberDetails(profile, MemberViews.Build(state, compiled, compiled.LocalDate(now)));
    }

    private static IdentityKey? Key(string programId, IdentityKind kind, string? value) =>
        string.IsNullOrEmpty(value) ? null : new IdentityKey(programId, kind, value);

    /// <summary>An update's fields, checked and normalised; null fields are left as they are.</summary>
    private sealed record ContactInput(
        string? FirstName, string? LastName, string? Email, string? Phone, DateOnly? BirthDate, IReadOnlyList<string>? Interests,
            IReadOnlyDictionary<ConsentChannel, bool>? Consents);

    private static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string Describe(IdentityKind kind) => kind switch
    {
        IdentityKind.Card => "card number",
        IdentityKind.Phone => "phone number",
        IdentityKind.Email => "e-mail address",
        _ => "external id",
    };
}
