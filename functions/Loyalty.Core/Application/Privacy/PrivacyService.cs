using System.Text.Json;
using Loyalty.Core.Application.Identities;
using Loyalty.Core.Application.MemberAuth;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Application.Receipts;
using Loyalty.Core.Serialization;
using Loyalty.Core.Validation;
using Loyalty.Core.Views;
using static Loyalty.Core.Application.Refusals;

namespace Loyalty.Core.Application.Privacy;

public sealed class PrivacyService : IPrivacyService
{
    public const int MaxReasonLength = 500;
    private const int ListPage = PageRequest.MaxPageSize;

    private readonly IMemberStore members;
    private readonly IMemberHistory history;
    private readonly IPrivacyStore records;
    private readonly IIdentityStore identityStore;
    private readonly IdentityClaims identities;
    private readonly IParkedReceiptStore parked;
    private readonly IReceiptArchive archive;
    private readonly IExportStore exports;
    private readonly IAuditLog audit;
    private readonly ICampaignExports campaignExports;
    private readonly MemberAuthService memberAuth;
    private readonly Continuations continuations;
    private readonly TimeProvider time;

    public PrivacyService(
        IMemberStore members, IMemberHistory history, IPrivacyStore records, IIdentityStore identityStore,
        IdentityClaims identities, IParkedReceiptStore parked,
        IReceiptArchive archive, IExportStore exports, IAuditLog audit, ICampaignExports campaignExports, MemberAuthService memberAuth,
        Continuations continuations,
        TimeProvider time)
    {
        this.continuations = continuations;
        this.members = members;
        this.history = history;
        this.records = records;
        this.identityStore = identityStore;
        this.identities = identities;
        this.parked = parked;
        this.archive = archive;
        this.exports = exports;
        this.audit = audit;
        this.campaignExports = campaignExports;
        this.memberAuth = memberAuth;
        this.time = time;
    }

    public async Task<Result<ExportedDocument>> ExportAsync(LoadedProgram program, string memberId, string actor, string? reason,
        CancellationToken cancellationToken)
    {
        var programId = program.Settings.ProgramId;
        if (await ReadAsync(program, memberId, cancellationToken) is not { } member) return MemberNotFound<ExportedDocument>();
        var key = program.Member(memberId);
        // Recorded first: the export then lists itself, and an export that fails half-way was still attempted.
        await RecordReadAsync(programId, memberId, actor, "member.export", reason, cancellationToken);

        var now = time.GetUtcNow();
        var receipts = await AllAsync<ReceiptSummary>((after, ct) => history.ListReceiptsAsync(key, ListPage, after, ct), cancellationToken);
        var identityKeys = Identities(programId, member.Profile);
        var claims = new List<ExportedIdentity>();
        var waiting = new List<ParkedReceipt>();
        foreach (var identity in identityKeys)
        {
            if (await identityStore.GetAsync(identity, cancellationToken) is { } claim && claim.MemberId == memberId)
                claims.Add(new ExportedIdentity(identity.Kind, identity.Value, claim.ClaimedAt));
            waiting.AddRange(await parked.ListAsync(identity, cancellationToken));
        }
        waiting.AddRange(await WaitingReturnsAsync(program, memberId, identityKeys, cancellationToken));
        var raw = new List<RawReceipt>();
        foreach (var (name, ids) in ByArchive(receipts.Select(r => (r.Archive, r.ReceiptId)).Concat(waiting.Select(p => (p.Archive, p.Receipt.Id)))))
        {
            if (await archive.ReadAsync(name, cancellationToken) is not { } payload) continue;
            raw.AddRange(RawReceipts.Extract(payload.Content, ids).Select(r => new RawReceipt(name, r.ReceiptId, r.Payload)));
        }
        var compiled = program.InForceAt(now);
        var document = new MemberExport
        {
            ProgramId = programId,
            MemberId = memberId,
            ExportedAt = now,
            Profile = member.Profile,
            View = MemberViews.Build(member.State, compiled, compiled.LocalDate(now)),
            State = member.State,
            Activity = member.Activity,
            Identities = claims,
            ConsentHistory = await records.ListConsentHistoryAsync(key, cancellationToken),
            Receipts = receipts,
            RawReceipts = raw,
            Ledger = await AllAsync<Ledger.LedgerEntry>((after, ct) => history.ListLedgerAsync(key, ListPage, after, ct), cancellationToken),
            Operations = await records.ListOperationsAsync(key, "", cancellationToken),
            PendingNotifications = await records.ListOutboxAsync(key, cancellationToken),
            ParkedReceipts = waiting,
            Audit = await AllAsync<AuditEntry>((after, ct) => audit.ListAsync(programId, memberId, ListPage, after, ct), cancellationToken),
            Erasure = await records.GetErasureAsync(key, cancellationToken),
        };
        var content = JsonSerializer.SerializeToUtf8Bytes(document, StrictJson.Options);
        var location = await exports.SaveAsync(programId, memberId, now, content, cancellationToken);
        return new ExportedDocument(location, content);
    }

    public async Task<Result<ErasureRecord>> EraseAsync(LoadedProgram program, string memberId, string reason, string actor,
        CancellationToken cancellationToken)
    {
        if (Texts.IsBlank(reason) || reason.Length > MaxReasonLength || !Texts.IsPrintable(reason))
            return Result<ErasureRecord>.Fail(ErrorCodes.Required, "reason",
                $"Say why the member is erased (the request's reference, not personal data): 1–{MaxReasonLength} characters.");
        var programId = program.Settings.ProgramId;
        var key = program.Member(memberId);
        IReadOnlyList<IdentityKey> freed = [];
        var repeated = false;
        var erased = await Concurrency.RetryAsync(async Task<Result<ErasureRecord>?> () =>
        {
            if (await ReadAsync(program, memberId, cancellationToken) is not { } member) return MemberNotFound<ErasureRecord>();
            repeated = member.Profile.ErasedAt is not null;
            if (repeated)
                return await records.GetErasureAsync(key, cancellationToken)
                    ?? throw new InvalidOperationException($"Member '{memberId}' of '{programId}' is erased but has no erasure record.");
            // Everything keyed by the identifiers goes first: once the profile is de-identified, nothing says what they were.
            freed = Identities(programId, member.Profile);
            await identities.ReleaseAllAsync(freed, memberId, cancellationToken);
            await memberAuth.ForgetAsync(freed, programId, cancellationToken);
            var parkedRemoved = await RemoveParkedAsync(program, freed, memberId, cancellationToken);
            var receipts = await AllAsync<ReceiptSummary>((after, ct) => history.ListReceiptsAsync(key, ListPage, after, ct), cancellationToken);
            var rewritten = await ScrubArchivesAsync(receipts.Select(r => (r.Archive, r.ReceiptId)), memberId, cancellationToken);
            var personal = Redaction.For(member.Profile);
            var scrubbed = await audit.ScrubAsync(programId, memberId, personal, cancellationToken);
            var exportsDeleted = await exports.DeleteAllAsync(programId, memberId, cancellationToken);
            var campaigns = await campaignExports.ListForMemberAsync(programId, memberId, cancellationToken);

            var now = time.GetUtcNow();
            var profile = new MemberProfile
            {
                MemberId = memberId,
                CardNumber = "",
                StoreId = member.Profile.StoreId,
                EnrolledAt = member.Profile.EnrolledAt,
                Consents = Enum.GetValues<ConsentChannel>().ToDictionary(c => c, c =>
                    member.Profile.Consents.TryGetValue(c, out var had) && !had.Granted ? had : new Consent(false, now, "erasure")),
                ErasedAt = now,
            };
            // The state's birthday carries the year of birth; the birthday reward goes with it.
            var state = member.State with { Birthday = null };
            var write = MemberWrite.From(program, profile, state, member.Activity, now) with
            {
                ConsentChanges = ConsentHistory.Changes(member.Profile.Consents, profile.Consents),
            };
            var record = new ErasureRecord(memberId, now, personal.Scrub(reason.Trim()), actor, [.. freed.Select(k => k.Kind)],
                rewritten, parkedRemoved, exportsDeleted, scrubbed, campaigns);
            switch (await records.CommitErasureAsync(key, write, record, member.ConcurrencyToken, cancellationToken))
            {
                case CommitResult.Committed:
                    return record;
                case CommitResult.AlreadyApplied:
                    repeated = true;
                    return await records.GetErasureAsync(key, cancellationToken)
                        ?? throw new InvalidOperationException($"Member '{memberId}' of '{programId}' was erased concurrently but has no erasure record.");
                default:
                    return null;
            }
        }, cancellationToken);
        if (!erased.IsValid) return erased;

        // A receipt may have been parked under a freed identifier while the erasure ran.
        await RemoveParkedAsync(program, freed, memberId, cancellationToken);
        // A repeated request is a request of its own: its reason is its case number, not the first one's. Nothing is
        // left to take out of it, so it is recorded as given (docs/privacy.md asks for case numbers, not personal data).
        await RecordReadAsync(programId, memberId, actor, "member.erasure", repeated ? reason.Trim() : erased.Value.Reason, cancellationToken);
        return erased;
    }

    public Task RecordReadAsync(string programId, string memberId, string actor, string action, string? reason, CancellationToken cancellationToken) =>
        audit.AppendAsync(AuditEntry.Create(programId, memberId, time.GetUtcNow(), actor, action, reason), cancellationToken);

    public async Task<Result<Page<AuditEntry>>> ListAuditAsync(LoadedProgram program, string memberId, PageRequest page, CancellationToken cancellationToken)
    {
        var programId = program.Settings.ProgramId;
        var listing = $"{programId}|{memberId}|audit";
        if (continuations.Check(page, listing, out var after) is { Count: > 0 } mistakes) return Result<Page<AuditEntry>>.Fail(mistakes);
        if (!MemberIds.IsWellFormed(memberId)) return Result<Page<AuditEntry>>.Fail(ErrorCodes.InvalidIdentifier, "memberId",
            "Give the member id whose audit trail to list.");
        return continuations.Page(await audit.ListAsync(programId, memberId, page.PageSize, after, cancellationToken), listing);
    }

    /// <summary>Erased members included: export and erasure are about whatever is left of them.</summary>
    private async Task<StoredMember?> ReadAsync(LoadedProgram program, string memberId, CancellationToken cancellationToken) =>
        MemberIds.IsWellFormed(memberId) ? await members.GetAsync(program.Member(memberId), cancellationToken) : null;

    /// <summary>Receipts parked under the member's identifiers, and returns naming the member that wait for their purchase.</summary>
    private async Task<int> RemoveParkedAsync(LoadedProgram program, IReadOnlyList<IdentityKey> keys, string memberId, CancellationToken cancellationToken)
    {
        var waiting = new List<(IdentityKey Key, ParkedReceipt Receipt)>();
        foreach (var identity in keys)
            waiting.AddRange((await parked.ListAsync(identity, cancellationToken)).Select(p => (identity, p)));
        waiting.AddRange((await WaitingReturnsAsync(program, memberId, keys, cancellationToken))
            .Select(p => (new IdentityKey(program.Settings.ProgramId, p.Kind, p.Identifier), p)));
        await ScrubArchivesAsync(waiting.Select(w => (w.Receipt.Archive, w.Receipt.Receipt.Id)), memberId, cancellationToken);
        foreach (var (key, receipt) in waiting)
            await parked.DeleteAsync(key, receipt.Receipt.Id, cancellationToken);
        return waiting.Count;
    }

    /// <summary>
    /// Returns parked under their purchase's id rather than under an identifier of the member, so a look-up by the
    /// member's identifiers misses them: those whose own identifier is the member's id or one of <paramref name="keys"/>.
    /// </summary>
    private async Task<IReadOnlyList<ParkedReceipt>> WaitingReturnsAsync(
        LoadedProgram program, string memberId, IReadOnlyList<IdentityKey> keys, CancellationToken cancellationToken) =>
    [
        .. (await parked.ListWaitingReturnsAsync(program.Settings.ProgramId, cancellationToken)).Where(p =>
            p.Receipt.Member is { } identifier
            && MemberIdentifiers.Resolve(identifier, program, new ErrorList()) is var resolved
            && (resolved.MemberId == memberId || (resolved.Identity is { } identity && keys.Contains(identity)))),
    ];

    /// <returns>How many archived payloads were rewritten.</returns>
    private async Task<int> ScrubArchivesAsync(IEnumerable<(string? Archive, string ReceiptId)> receipts, string memberId, CancellationToken cancellationToken)
    {
        var rewritten = 0;
        foreach (var (name, ids) in ByArchive(receipts))
        {
            // A POS message holds other members' receipts too, and a concurrent erasure may rewrite it: retry on a lost race.
            for (var attempt = 0; attempt < Concurrency.MaxAttempts; attempt++)
            {
                if (await archive.ReadAsync(name, cancellationToken) is not { } payload ||
                    RawReceipts.Scrub(payload.Content, ids, memberId) is not { } scrubbed) break;
                if (await archive.TryReplaceAsync(name, scrubbed, payload.Version, cancellationToken))
                {
                    rewritten++;
                    break;
                }
            }
        }
        return rewritten;
    }

    private static IEnumerable<(string Archive, IReadOnlySet<string> ReceiptIds)> ByArchive(IEnumerable<(string? Archive, string ReceiptId)> receipts) =>
        receipts.Where(r => r.Archive is not null)
            .GroupBy(r => r.Archive!, StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlySet<string>)g.Select(r => r.ReceiptId).ToHashSet(StringComparer.Ordinal)));

    private static List<IdentityKey> Identities(string programId, MemberProfile profile) =>
    [
        .. new (IdentityKind Kind, string? Value)[]
            {
                (IdentityKind.Card, profile.CardNumber), (IdentityKind.Phone, profile.Phone), (IdentityKind.Email, profile.Email),
                (IdentityKind.External, profile.ExternalId),
            }
            .Where(i => !string.IsNullOrEmpty(i.Value))
            .Select(i => new IdentityKey(programId, i.Kind, i.Value!)),
    ];

    private static async Task<List<T>> AllAsync<T>(Func<string?, CancellationToken, Task<CursorPage<T>>> page, CancellationToken cancellationToken)
    {
        var all = new List<T>();
        string? after = null;
        do
        {
            var next = await page(after, cancellationToken);
            all.AddRange(next.Items);
            after = next.Next;
        }
        while (after is not null);
        return all;
    }
}
