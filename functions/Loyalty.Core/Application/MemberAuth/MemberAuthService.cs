using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Loyalty.Core.Access;
using Loyalty.Core.Application.Identities;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Events;
using Loyalty.Core.Validation;
using static Loyalty.Core.Application.Refusals;

namespace Loyalty.Core.Application.MemberAuth;

public sealed class MemberAuthService : IMemberAuthService
{
    private const int SubjectLength = 24;
    private readonly MemberAuthOptions options;
    private readonly MemberTokenSigner signer;
    private readonly byte[] codeKey;
    private readonly IMemberAuthStore store;
    private readonly IdentityClaims identities;
    private readonly IMemberStore members;
    private readonly INotificationQueue notifications;
    private readonly ProgramCache programs;
    private readonly TimeProvider time;

    public MemberAuthService(
        MemberAuthOptions options, IMemberAuthStore store, IdentityClaims identities, IMemberStore members, INotificationQueue notifications,
            ProgramCache programs, TimeProvider time)
    {
        this.options = options;
        signer = new MemberTokenSigner(options.Keys);
        codeKey = options.Keys.Derive("loyalty-functions:member-codes");
        this.store = store;
        this.identities = identities;
        this.members = members;
        this.notifications = notifications;
        this.programs = programs;
        this.time = time;
    }

    public async Task<Result<CodeSent>> RequestCodeAsync(LoadedProgram program, CodeRequest request, string clientAddress, CancellationToken cancellationToken)
    {
        var programId = program.Settings.ProgramId;
        var errors = new ErrorList();
        var identity = Identity(program, request.Phone, request.Email, errors);
        if (errors.Any) return Result<CodeSent>.Fail(errors.Items);
        var now = time.GetUtcNow();
        if (!await WithinLimitAsync(programId, "codes", clientAddress, now, cancellationToken)) return RateLimited<CodeSent>(now);

        var memberId = await identities.FindAsync(identity!, cancellationToken);
        var linkSecret = identity!.Kind == IdentityKind.Email && options.LinkBaseUrl is not null
            ? Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)) : null;
        var subject = Subject(identity);
        var saved = await SaveCodeAsync(programId, subject, memberId, linkSecret, now, cancellationToken);
        if (!saved.IsValid) return Result<CodeSent>.Fail(saved.Errors);
        if (memberId is not null)
            await SendCodeAsync(program, memberId, identity, saved.Value,
                linkSecret is null ? null : LinkUrl(options.LinkBaseUrl!, $"{subject}.{linkSecret}"), now, cancellationToken);
        return Sent(identity);
    }

    /// <summary>
    /// A code to a phone or e-mail address <paramref name="memberId"/> wants as theirs, sent to that new identifier, so
    /// only whoever holds it can confirm the change (<see cref="ConfirmContactAsync"/>). Limits as for sign-in codes:
    /// per client address, per identifier (whoever asks) and per member and identifier. When another member holds the
    /// identifier nothing is sent and the answer is the same, so the endpoint cannot be used to find members.
    /// </summary>
    internal async Task<Result<CodeSent>> RequestContactCodeAsync(
        LoadedProgram program, string memberId, IdentityKey identity, string clientAddress, CancellationToken cancellationToken)
    {
        var programId = program.Settings.ProgramId;
        var now = time.GetUtcNow();
        if (!await WithinLimitAsync(programId, "codes", clientAddress, now, cancellationToken)) return RateLimited<CodeSent>(now);
        var windowEnd = MemberAuthOptions.WindowEnd(now);
        var counter = $"contact|{Subject(identity)}|{(windowEnd - MemberAuthOptions.Window).ToString("yyyyMMddHH", CultureInfo.InvariantCulture)}";
        if (await store.IncrementAsync(programId, counter, windowEnd,
            cancellationToken) > MemberAuthOptions.CodesPerIdentifier) return RateLimited<CodeSent>(now);

        var saved = await SaveCodeAsync(programId, ContactSubject(memberId, identity), memberId, null, now, cancellationToken);
        if (!saved.IsValid) return Result<CodeSent>.Fail(saved.Errors);
        if (await identities.FindAsync(identity, cancellationToken) is null)
            await SendCodeAsync(program, memberId, identity, saved.Value, null, now, cancellationToken);
        return Sent(identity);
    }

    /// <summary>Checks the code sent for <see cref="RequestContactCodeAsync"/>; it works once, and wrong ones lock it as at sign-in.</summary>
    internal async Task<Result<bool>> ConfirmContactAsync(
        string programId, string memberId, IdentityKey identity, string? code, string clientAddress, CancellationToken cancellationToken)
    {
        if (CheckCode(code) is { } wrong) return Result<bool>.Fail(wrong.Errors);
        var now = time.GetUtcNow();
        if (!await WithinLimitAsync(programId, "tokens", clientAddress, now, cancellationToken)) return RateLimited<bool>(now);
        var verified = await VerifyAsync(programId, ContactSubject(memberId, identity), code!, now, cancellationToken);
        return verified.IsValid ? true : Result<bool>.Fail(verified.Errors);
    }

    public async Task<Result<MemberToken>> IssueTokenAsync(LoadedProgram program, TokenRequest request, string clientAddress,
        CancellationToken cancellationToken)
    {
        var programId = program.Settings.ProgramId;
        var errors = new ErrorList();
        string subject, proof;
        if (request.Link is { } link)
        {
            if (request.Phone is not null || request.Email is not null || request.Code is not null)
                errors.Add(ErrorCodes.InvalidCombination, "link", "Send either link, or phone or email with code.");
            var dot = link.IndexOf('.', StringComparison.Ordinal);
            // The subject becomes a table key: one we made is base64url, which the id grammar covers.
            (subject, proof) = dot == SubjectLength && link.Length < 200 && Ids.IsValid(link[..dot]) ? (link[..dot], "link:" + link[(dot + 1)..]) : ("", "");
        }
        else
        {
            var identity = Identity(program, request.Phone, request.Email, errors);
            if (CheckCode(request.Code) is { } wrong) errors.AddRange(wrong.Errors);
            (subject, proof) = identity is null ? ("", "") : (Subject(identity), request.Code ?? "");
        }
        if (errors.Any) return Result<MemberToken>.Fail(errors.Items);
        var now = time.GetUtcNow();
        if (!await WithinLimitAsync(programId, "tokens", clientAddress, now, cancellationToken)) return RateLimited<MemberToken>(now);
        if (subject.Length == 0) return Refused<MemberToken>(ApplicationErrors.CodeInvalid, "This link is not valid; request a new code.");

        var verified = await VerifyAsync(programId, subject, proof, now, cancellationToken);
        if (!verified.IsValid) return Result<MemberToken>.Fail(verified.Errors);

        var memberId = verified.Value;
        // Erased or gone since the code was sent: the code proves nothing any more.
        if (await members.GetAsync(program.Member(memberId), cancellationToken) is not { Profile.ErasedAt: null })
            return Refused<MemberToken>(ApplicationErrors.CodeInvalid, "The code is not right.");
        var expires = now + options.TokenLifetime;
        return new MemberToken(signer.Issue(programId, memberId, now, options.TokenLifetime), expires, memberId);
    }

    public ApiCaller? Authenticate(string token) =>
        signer.Validate(token, time.GetUtcNow()) is var (programId, memberId) ? new ApiCaller($"member:{memberId}", programId, Scope.None, memberId) : null;

    public async Task<bool> IsCurrentAsync(ApiCaller member, CancellationToken cancellationToken) =>
        member.MemberId is { } memberId && MemberIds.IsWellFormed(memberId) &&
        await programs.GetAsync(member.ProgramId, cancellationToken) is { } program &&
        await members.GetAsync(program.Member(memberId), cancellationToken) is { Profile.ErasedAt: null };

    public Task<int> SweepAsync(CancellationToken cancellationToken) => store.DeleteExpiredAsync(time.GetUtcNow(), cancellationToken);

    /// <summary>Erasure: the member's phone and e-mail leave no code rows behind (they hold HMACs only, but point at the member).</summary>
    internal Task ForgetAsync(IEnumerable<IdentityKey> keys, string programId, CancellationToken cancellationToken) =>
        store.DeleteCodesAsync(programId, [.. keys.Where(k => k.Kind is IdentityKind.Phone or IdentityKind.Email).Select(Subject)], cancellationToken);

    /// <summary>One more request from this address in this window; false once it is over the limit.</summary>
    private async Task<bool> WithinLimitAsync(string programId, string purpose, string clientAddress, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var windowEnd = MemberAuthOptions.WindowEnd(now);
        var window = (windowEnd - MemberAuthOptions.Window).ToString("yyyyMMddHH", CultureInfo.InvariantCulture);
        var counter = $"addr|{purpose}|{Mac($"addr|{clientAddress}")}|{window}";
        return await store.IncrementAsync(programId, counter, windowEnd, cancellationToken) <= options.RequestsPerAddress;
    }

    private static IdentityKey? Identity(LoadedProgram program, string? phone, string? email, ErrorList errors)
    {
        if ((phone is null) == (email is null))
        {
            errors.Add(ApplicationErrors.IdentifierCount, "", "Give exactly one of phone and email.");
            return null;
        }
        var (kind, value) = phone is not null
            ? (IdentityKind.Phone, ContactFields.Phone(errors, phone, program.Settings.DefaultCountry))
            : (IdentityKind.Email, ContactFields.Email(errors, email));
        if (value == "") errors.Add(ErrorCodes.Required, kind == IdentityKind.Phone ? "phone" : "email", "The identifier is empty.");
        return errors.Any ? null : new IdentityKey(program.Settings.ProgramId, kind, value!);
    }

    /// <summary>A new code (and link secret) for <paramref name="subject"/>, within the subject's own count per window.</summary>
    private async Task<Result<(string Code, DateTimeOffset Expires)>> SaveCodeAsync(
        string programId, string subject, string? memberId, string? linkSecret, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var code = RandomNumberGenerator.GetInt32(0, (int)Math.Pow(10, MemberAuthOptions.CodeDigits))
            .ToString($"D{MemberAuthOptions.CodeDigits}", CultureInfo.InvariantCulture);
        var expires = now + MemberAuthOptions.CodeLifetime;
        var windowEnd = MemberAuthOptions.WindowEnd(now);
        var saved = await Concurrency.RetryAsync(async Task<Result<bool>?> () =>
        {
            var stored = await store.GetCodeAsync(programId, subject, cancellationToken);
            var sent = stored?.State.WindowStart == windowEnd - MemberAuthOptions.Window ? stored.State.SentInWindow : 0;
            if (sent >= MemberAuthOptions.CodesPerIdentifier) return RateLimited<bool>(now);
            var state = new CodeState(memberId, Hash(subject, code), linkSecret is null ? null : Hash(subject, "link:" + linkSecret), expires, 0,
                windowEnd - MemberAuthOptions.Window, sent + 1, expires > windowEnd ? expires : windowEnd);
            return await store.TrySaveCodeAsync(programId, subject, state, stored?.Version, cancellationToken) ? true : null;
        }, cancellationToken);
        return saved.IsValid ? (code, expires) : Result<(string, DateTimeOffset)>.Fail(saved.Errors);
    }

    /// <summary>A <c>member.code</c> to the identifier: straight to the queue, expiring with the code.</summary>
    private async Task SendCodeAsync(
        LoadedProgram program, string memberId, IdentityKey identity, (string Code, DateTimeOffset Expires) code,
            string? link, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var programId = program.Settings.ProgramId;
        var operationId = $"code:{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(9))}";
        var issued = new MemberCodeIssued($"{memberId}/{operationId}/member.code", programId, memberId, program.InForceAt(now).LocalDate(now),
            Channel(identity), identity.Value, code.Code, link, code.Expires);
        await notifications.SendAsync([new Notification(programId, memberId, operationId, now, [issued])], cancellationToken);
    }

    /// <summary>
    /// Uses the code or link <paramref name="proof"/> of <paramref name="subject"/> once: the member it was sent for, or
    /// why not. Wrong proofs count towards the lock; a right one for an identifier nobody held counts as wrong.
    /// </summary>
    private Task<Result<string>> VerifyAsync(string programId, string subject, string proof, DateTimeOffset now, CancellationToken cancellationToken) =>
        Concurrency.RetryAsync(async Task<Result<string>?> () =>
        {
            if (await store.GetCodeAsync(programId, subject, cancellationToken) is not { } stored)
                return Refused<string>(ApplicationErrors.CodeInvalid, "The code is not right; request a new one if it does not arrive.");
            var state = stored.State;
            var expected = proof.StartsWith("link:", StringComparison.Ordinal) ? state.LinkHash : state.CodeHash;
            if (expected is null) return Refused<string>(ApplicationErrors.CodeInvalid, "This code was used already; request a new one.");
            if (now >= state.ExpiresAt) return Refused<string>(ApplicationErrors.CodeExpired, "This code has expired; request a new one.");
            if (state.FailedAttempts >= MemberAuthOptions.MaxFailedAttempts) return Refused<string>(ApplicationErrors.CodeLocked,
                "Too many wrong codes: this one is locked. Request a new code.");
            // A right guess for an identifier nobody holds counts as wrong: both must look the same.
            var right = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(Hash(subject, proof)))
                && state.MemberId is not null;
            var after = right
                ? state with { CodeHash = null, LinkHash = null }
                : state with { FailedAttempts = state.FailedAttempts + 1 };
            if (!await store.TrySaveCodeAsync(programId, subject, after, stored.Version, cancellationToken)) return null;
            if (right) return state.MemberId!;
            return after.FailedAttempts >= MemberAuthOptions.MaxFailedAttempts
                ? Refused<string>(ApplicationErrors.CodeLocked, "The code is not right, and it is now locked: request a new code.")
                : Refused<string>(ApplicationErrors.CodeInvalid, "The code is not right.");
        }, cancellationToken);

    private static Result<bool>? CheckCode(string? code) =>
        code is { Length: MemberAuthOptions.CodeDigits } && code.All(char.IsAsciiDigit)
            ? null
            : Result<bool>.Fail(ErrorCodes.OutOfRange, "code", $"The code is the {MemberAuthOptions.CodeDigits} digits we sent.");

    private static string Channel(IdentityKey identity) => identity.Kind == IdentityKind.Phone ? "sms" : "email";

    private static CodeSent Sent(IdentityKey identity) => new(Channel(identity), (int)MemberAuthOptions.CodeLifetime.TotalSeconds);

    /// <summary>A member's wish for an identifier, apart from sign-in codes for it: sign-in subjects never start with "contact|" and a member id.</summary>
    private string ContactSubject(string memberId, IdentityKey key) => Mac($"contact|{memberId}|{key.ProgramId}|{key.Kind}|{key.Value}")[..SubjectLength];

    /// <summary>The identifier as a keyed hash: stored rows say nothing about whose phone or e-mail they are for.</summary>
    private string Subject(IdentityKey key) => Mac($"{key.ProgramId}|{key.Kind}|{key.Value}")[..SubjectLength];

    private string Hash(string subject, string proof) => Mac($"{subject}|{proof}");

    private string Mac(string text) => Base64Url.EncodeToString(HMACSHA256.HashData(codeKey, Encoding.UTF8.GetBytes(text)));

    private static string LinkUrl(Uri baseUrl, string token)
    {
        var url = baseUrl.AbsoluteUri;
        return $"{url}{(url.Contains('?', StringComparison.Ordinal) ? '&' : '?')}token={Uri.EscapeDataString(token)}";
    }

    private static Result<T> Refused<T>(string code, string message) => Result<T>.Fail(code, "code", message);

    private static Result<T> RateLimited<T>(DateTimeOffset now) =>
        Result<T>.Fail(ApplicationErrors.RateLimited, "", $"Too many requests; try again after {MemberAuthOptions.WindowEnd(now):HH:mm} UTC.");
}
