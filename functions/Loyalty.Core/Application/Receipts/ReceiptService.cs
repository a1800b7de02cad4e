using Loyalty.Core.Application.Campaigns;
using Loyalty.Core.Application.Identities;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Members;
using Loyalty.Core.Receipts;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Application.Receipts;

/// <summary>
/// Points accrual from receipts, for the web shop (HTTP) and the POS queue alike: resolve the member, score with the
/// program version in force at purchase time, and apply in one transaction in the member's partition (receipt record,
/// history, ledger, state, segment counters, outbox). Receipts for identifiers nobody has enrolled yet are parked
/// and applied when someone enrols with that identifier. Returns from the queue whose purchase is not on the member's
/// account yet are parked under the purchase's id, the purchase is marked awaited on the member's profile, and the
/// purchase, seeing the mark in the profile it reads anyway, applies them right after its commit.
/// </summary>
public sealed class ReceiptService : IReceiptService
{
    private readonly IMemberStore members;
    private readonly IMemberHistory history;
    private readonly IdentityClaims identities;
    private readonly IParkedReceiptStore parked;
    private readonly IReceiptClaims claims;
    private readonly IReceiptArchive archive;
    private readonly MemberCommits commits;
    private readonly TimeProvider time;
    private readonly CampaignResponses responses;
    private readonly Continuations continuations;
    private readonly IAuditLog audit;

    /// <summary>Audit actions of an operator's handling of a parked receipt.</summary>
    public const string RetryAction = "receipt.parked_retry", DiscardAction = "receipt.parked_discard";

    public ReceiptService(
        IMemberStore members, IMemberHistory history, IdentityClaims identities, IParkedReceiptStore parked, IReceiptClaims claims,
        IReceiptArchive archive, MemberCommits commits,
        CampaignResponses responses, IAuditLog audit, Continuations continuations, TimeProvider time)
    {
        this.audit = audit;
        this.continuations = continuations;
        this.responses = responses;
        this.members = members;
        this.history = history;
        this.identities = identities;
        this.parked = parked;
        this.claims = claims;
        this.archive = archive;
        this.commits = commits;
        this.time = time;
    }

    public async Task<Result<ReceiptResult>> SubmitAsync(
        LoadedProgram program, PosReceipt receipt, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var checkedReceipt = Check(program, receipt);
        if (!checkedReceipt.IsValid) return Result<ReceiptResult>.Fail(checkedReceipt.Errors);
        // The raw payload is committed with the receipt, in the member's transaction: no request of its own, and no applied
        // receipt without it. Only a receipt that waits for its member is archived on its own (ArchivedAsync).
        // The web shop hears the answer and can send the return again; a queue's sender cannot, so the queue parks it.
        return await ApplyCheckedAsync(program, receipt, checkedReceipt.Value, new Raw(null, payload), waitForPurchase: false, cancellationToken);
    }

    public Task<string> ArchiveAsync(LoadedProgram program, string name, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        archive.StoreAsync(program.Settings.ProgramId, Today(), name, payload, cancellationToken);

    public Task<Result<ReceiptResult>> ApplyAsync(LoadedProgram program, PosReceipt receipt, string? archived, CancellationToken cancellationToken) =>
        QueuedAsync(program, receipt, new Raw(archived, null), cancellationToken);

    public Task<Result<ReceiptResult>> ApplyRawAsync(
        LoadedProgram program, PosReceipt receipt, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        QueuedAsync(program, receipt, new Raw(null, payload), cancellationToken);

    private async Task<Result<ReceiptResult>> QueuedAsync(LoadedProgram program, PosReceipt receipt, Raw raw, CancellationToken cancellationToken)
    {
        var checkedReceipt = Check(program, receipt);
        return checkedReceipt.IsValid
            ? await ApplyCheckedAsync(program, receipt, checkedReceipt.Value, raw, waitForPurchase: true, cancellationToken)
            : Result<ReceiptResult>.Fail(checkedReceipt.Errors);
    }

    public async Task<Result<Page<ParkedReceipt>>> ListParkedAsync(LoadedProgram program, PageRequest page, CancellationToken cancellationToken)
    {
        var programId = program.Settings.ProgramId;
        var listing = $"{programId}|parked";
        if (continuations.Check(page, listing, out var after) is { Count: > 0 } mistakes) return Result<Page<ParkedReceipt>>.Fail(mistakes);
        return continuations.Page(await parked.ListProgramAsync(programId, page.PageSize, after, cancellationToken), listing);
    }

    public async Task<int> ReplayParkedAsync(LoadedProgram program, CancellationToken cancellationToken)
    {
        var programId = program.Settings.ProgramId;
        var applied = 0;
        string? after = null;
        do
        {
            var page = await parked.ListProgramAsync(programId, PageRequest.MaxPageSize, after, cancellationToken);
            foreach (var key in page.Items.Where(p => p.Refused is null).Select(p => new IdentityKey(programId, p.Kind, p.Identifier)).Distinct())
            {
                if (key.Kind != IdentityKind.Purchase) applied += await ReplayParkedAsync(program, key, cancellationToken);
                // A purchase applied by a host that crashed before it replayed the returns waiting for it.
                else if (await claims.FindAsync(programId, key.Value, cancellationToken) is not null)
                    applied += await ReplayWaitingReturnsAsync(program, key.Value, cancellationToken);
            }
            after = page.Next;
        }
        while (after is not null);
        return applied;
    }

    public async Task<Result<ReceiptResult>> RetryParkedAsync(LoadedProgram program, string receiptId, StaffChange by, CancellationToken cancellationToken)
    {
        var programId = program.Settings.ProgramId;
        var found = await FindParkedAsync(program, receiptId, cancellationToken);
        if (!found.IsValid) return Result<ReceiptResult>.Fail(found.Errors);
        var (receipt, identity, memberId) = found.Value;
        var outcome = await SettleAsync(program, identity, receipt, memberId, identity.Kind == IdentityKind.Purchase, cancellationToken);
        await audit.AppendAsync(AuditEntry.Create(programId, memberId, time.GetUtcNow(), by.KeyId, RetryAction, by.Reason,
            $"{receiptId}: {(outcome.IsValid ? "applied" : "refused")}"), cancellationToken);
        if (outcome.IsValid) return new ReceiptResult(receiptId, ReceiptStatus.Applied, memberId, outcome.Value);
        return Transient(outcome.Errors)
            ? Result<ReceiptResult>.Fail(outcome.Errors)
            : Result<ReceiptResult>.Fail([new ValidationError(ApplicationErrors.ParkedReceiptRefused, "",
                $"The member's account still refuses receipt '{receiptId}': {Reason(outcome.Errors)}"), .. outcome.Errors]);
    }

    public async Task<Result<ParkedReceipt>> DiscardParkedAsync(LoadedProgram program, string receiptId, StaffChange by, CancellationToken cancellationToken)
    {
        var programId = program.Settings.ProgramId;
        var found = await FindParkedAsync(program, receiptId, cancellationToken);
        if (!found.IsValid) return Result<ParkedReceipt>.Fail(found.Errors);
        var (receipt, identity, memberId) = found.Value;
        // Recorded first: a discard that fails half-way was still attempted.
        await audit.AppendAsync(AuditEntry.Create(programId, memberId, time.GetUtcNow(), by.KeyId, DiscardAction, by.Reason, receiptId), cancellationToken);
        await parked.DeleteAsync(identity, receiptId, cancellationToken);
        return receipt;
    }

    /// <summary>
    /// The parked receipt an operator names, and the member holding its identifier (a waiting return's own member
    /// identifier): the audit trail is per member, and a receipt nobody can take is left to the enrolment that will.
    /// Should one receipt id be parked under two keys, each call handles the first.
    /// </summary>
    private async Task<Result<(ParkedReceipt Receipt, IdentityKey Identity, string MemberId)>> FindParkedAsync(
        LoadedProgram program, string receiptId, CancellationToken cancellationToken)
    {
        var programId = program.Settings.ProgramId;
        var errors = new ErrorList();
        errors.Identifier(receiptId, "receiptId");
        var receipt = errors.Any ? null : (await parked.FindAsync(programId, receiptId, cancellationToken)).FirstOrDefault();
        if (receipt is null)
            return Result<(ParkedReceipt, IdentityKey, string)>.Fail(ApplicationErrors.ParkedReceiptNotFound, "receiptId",
                "No receipt with this id is parked.");
        var identity = new IdentityKey(programId, receipt.Kind, receipt.Identifier);
        if (await MemberOfAsync(program, receipt, cancellationToken) is not { } memberId)
            return Result<(ParkedReceipt, IdentityKey, string)>.Fail(ApplicationErrors.ParkedReceiptUnclaimed, "receiptId",
                "Nobody holds this receipt's identifier now: it waits for whoever enrols with it.");
        return (receipt, identity, memberId);
    }

    private static string Reason(IReadOnlyList<ValidationError> errors) => string.Join(" ", errors.Select(e => e.Message));

    /// <summary>Refusals that say nothing about the receipt: the member may be free, or enrolled for real, on the next try.</summary>
    private static bool Transient(IReadOnlyList<ValidationError> errors) =>
        errors.Any(e => e.Code is ApplicationErrors.MemberNotFound or ApplicationErrors.Busy);

    /// <summary>Who a parked receipt is for: the holder of the identity it is parked under, or, for a return waiting for its purchase, of its own
    /// identifier.</summary>
    private async Task<string?> MemberOfAsync(LoadedProgram program, ParkedReceipt receipt, CancellationToken cancellationToken)
    {
        var identity = new IdentityKey(program.Settings.ProgramId, receipt.Kind, receipt.Identifier);
        if (receipt.Kind == IdentityKind.Purchase)
        {
            if (receipt.Receipt.Member is not { } identifier) return null;
            var resolved = MemberIdentifiers.Resolve(identifier, program, new ErrorList());
            if (resolved.MemberId is { } memberId) return memberId;
            if (resolved.Identity is not { } own) return null;
            identity = own;
        }
        return await identities.FindAsync(identity, cancellationToken);
    }

    /// <summary>
    /// Applies a parked receipt to <paramref name="memberId"/>. Applied, it leaves the park; refused by the member's
    /// state, it stays with the reason, for an operator; a busy member, or a return whose purchase is still on its
    /// way, leaves it as it is for the next try.
    /// </summary>
    /// <param name="lastWaiting">The last return known to wait for its purchase: applied, it takes the purchase off the member's
    /// awaited set in its own transaction.</param>
    private async Task<Result<Outcome>> SettleAsync(
        LoadedProgram program, IdentityKey key, ParkedReceipt receipt, string memberId, bool lastWaiting, CancellationToken cancellationToken)
    {
        var domain = receipt.Receipt.ToReceipt(memberId);
        var outcome = await ApplyToMemberAsync(program, domain, receipt.Receipt.Coupons, new Raw(receipt.Archive, null), lastWaiting, cancellationToken);
        if (outcome.IsValid) await parked.DeleteAsync(key, domain.Id, cancellationToken);
        else if (!Transient(outcome.Errors) && !(key.Kind == IdentityKind.Purchase
            && await AwaitsPurchaseAsync(program, domain, outcome.Errors, cancellationToken)))
            await parked.ParkAsync(key, receipt with { Refused = Reason(outcome.Errors) }, cancellationToken);
        return outcome;
    }

    /// <summary>
    /// A return refused only because its purchase is not on the member's account, while that purchase may still come:
    /// nobody has claimed its id, or this member has (a host took it and has not committed it yet, or crashed first).
    /// A purchase applied to another member never comes to this one.
    /// </summary>
    private async Task<bool> AwaitsPurchaseAsync(
        LoadedProgram program, Receipt receipt, IReadOnlyList<ValidationError> errors, CancellationToken cancellationToken)
    {
        if (receipt.ReturnOf is not { } purchaseId || errors.Count == 0 || errors.Any(e => e.Code != ErrorCodes.ReturnOfUnknownReceipt)) return false;
        var owner = await claims.FindAsync(program.Settings.ProgramId, purchaseId, cancellationToken);
        return owner is null || owner == receipt.MemberId;
    }

    /// <summary>
    /// Applies the returns waiting for purchase <paramref name="purchaseId"/>, oldest first; each exactly once however often this runs.
    /// The last one takes the purchase off its member's awaited set, so a crash before it leaves the mark for the purchase's retry.
    /// </summary>
    private async Task<int> ReplayWaitingReturnsAsync(LoadedProgram program, string purchaseId, CancellationToken cancellationToken)
    {
        var key = new IdentityKey(program.Settings.ProgramId, IdentityKind.Purchase, purchaseId);
        var waiting = (await parked.ListAsync(key, cancellationToken)).OrderBy(p => p.Receipt.PurchasedAt).ToList();
        var applied = 0;
        for (var i = 0; i < waiting.Count; i++)
        {
            if (await MemberOfAsync(program, waiting[i], cancellationToken) is not { } memberId) continue;
            if ((await SettleAsync(program, key, waiting[i], memberId, i == waiting.Count - 1, cancellationToken)).IsValid) applied++;
        }
        return applied;
    }

    /// <summary>
    /// After a return was parked under purchase <paramref name="purchaseId"/>: marks the purchase awaited on the member, unless it
    /// is on the account by now (true). The mark is written under the ETag of the read that found the purchase missing, so it
    /// lands only if no commit came in between; the purchase's own commit, conditional on the profile it read, then either read the
    /// mark or fails and reads it on its retry. Parked before marked: a purchase that sees the mark finds the return.
    /// </summary>
    private async Task<Result<bool>> MarkAwaitedAsync(LoadedProgram program, MemberKey key, string purchaseId, CancellationToken cancellationToken) =>
        await Concurrency.RetryAsync<bool>(async () =>
        {
            // An erased or vanished member takes nothing new: the return stays parked.
            if (await members.GetAsync(key, cancellationToken) is not { Profile.ErasedAt: null } member) return false;
            if (await history.GetOperationAsync(key, purchaseId, cancellationToken) is not null) return true;
            if (member.Activity.AwaitedPurchases.Contains(purchaseId)) return false;
            var write = MemberWrite.From(program, member.Profile, member.State, member.Activity.Awaiting(purchaseId), time.GetUtcNow());
            return await members.CommitAsync(key, write, member.ConcurrencyToken, cancellationToken) == CommitResult.Committed ? false : (Result<bool>?)null;
        }, cancellationToken);

    /// <summary>
    /// Applies the receipts parked under <paramref name="identity"/> if a member holds it now, oldest purchase first (a
    /// return after its purchase). A receipt the member's state refuses stays parked with the reason, for an operator.
    /// </summary>
    internal async Task<int> ReplayParkedAsync(LoadedProgram program, IdentityKey identity, CancellationToken cancellationToken)
    {
        if (await identities.FindAsync(identity, cancellationToken) is not { } memberId) return 0;
        var waiting = await parked.ListAsync(identity, cancellationToken);
        var applied = 0;
        foreach (var receipt in waiting.Where(p => p.Refused is null).OrderBy(p => p.Receipt.PurchasedAt))
        {
            if ((await SettleAsync(program, identity, receipt, memberId, lastWaiting: false, cancellationToken)).IsValid) applied++;
        }
        return applied;
    }

    /// <summary>Everything that can be checked without the member: shape, identifier, and the domain's own receipt checks.</summary>
    private Result<Checked> Check(LoadedProgram program, PosReceipt receipt)
    {
        var errors = new ErrorList();
        PosReceipts.Check(receipt, errors);
        var resolved = Resolved.Unmatchable;
        if (receipt.Member is { } identifier)
        {
            var identifierErrors = new ErrorList();
            resolved = MemberIdentifiers.Resolve(identifier, program, identifierErrors);
            errors.AddRange(identifierErrors.Items.Select(e => e with { Path = e.Path.Length == 0 ? "member" : $"member.{e.Path}" }));
            if (!identifierErrors.Any && resolved == Resolved.Unmatchable)
                errors.Add(ErrorCodes.InvalidIdentifier, "member",
                    "This identifier cannot belong to any member (a card number has 4–32 letters and digits; ids are in the id grammar, docs/api.md).");
        }
        var domain = receipt.ToReceipt(resolved.MemberId ?? PosReceipts.NoMember);
        if (program.Catalog.At(receipt.PurchasedAt) is not { } version)
            errors.Add(ErrorCodes.NoProgramVersion, "purchasedAt", $"No version of the program was in force at {receipt.PurchasedAt:O}.");
        else
            errors.AddRange(ReceiptValidator.Validate(domain, version, time.GetUtcNow()));
        return errors.Any ? Result<Checked>.Fail(errors.Items) : new Checked(domain, resolved);
    }

    /// <param name="waitForPurchase">Park a return whose purchase is not on the member's account yet, rather than refuse it.</param>
    private async Task<Result<ReceiptResult>> ApplyCheckedAsync(
        LoadedProgram program, PosReceipt receipt, Checked checkedReceipt, Raw raw, bool waitForPurchase, CancellationToken cancellationToken)
    {
        var (domain, resolved) = checkedReceipt;
        if (receipt.Member is null)
        {
            // No member's transaction to carry the raw payload: archived on its own, for the accounts.
            await ArchivedAsync(program, receipt, raw, cancellationToken);
            await responses.RecordAsync(
                program.Settings.ProgramId, receipt.Id, receipt.Total, receipt.PurchasedAt, null, receipt.Coupons, [], [], cancellationToken);
            return new ReceiptResult(receipt.Id, ReceiptStatus.Anonymous);
        }
        if (resolved.Identity is not { } identity) return await AppliedAsync(program, receipt, domain, raw, waitForPurchase, cancellationToken);

        if (await identities.FindAsync(identity, cancellationToken) is { } memberId)
        {
            var applied = await AppliedAsync(program, receipt, domain with { MemberId = memberId }, raw, waitForPurchase, cancellationToken);
            // An orphaned claim (an enrolment that crashed before writing its member) counts as nobody: park.
            if (applied.IsValid || applied.Errors.All(e => e.Code != ApplicationErrors.MemberNotFound)) return applied;
        }

        var archived = await ArchivedAsync(program, receipt, raw, cancellationToken);
        await parked.ParkAsync(identity, new ParkedReceipt(receipt, identity.Kind, identity.Value, time.GetUtcNow(), archived), cancellationToken);
        // An enrolment may have claimed the identifier between our look-up and our parking, and looked for parked
        // receipts before ours was there: look again, now that it is.
        if (await ReplayParkedAsync(program, identity, cancellationToken) > 0 &&
            await identities.FindAsync(identity, cancellationToken) is { } owner &&
            await history.GetOperationAsync(program.Member(owner), receipt.Id, cancellationToken) is { } record)
            return new ReceiptResult(receipt.Id, ReceiptStatus.Applied, owner, record.Outcome);
        return new ReceiptResult(receipt.Id, ReceiptStatus.Parked);
    }

    private async Task<Result<ReceiptResult>> AppliedAsync(
        LoadedProgram program, PosReceipt sent, Receipt receipt, Raw raw, bool waitForPurchase, CancellationToken cancellationToken)
    {
        var outcome = await ApplyToMemberAsync(program, receipt, sent.Coupons, raw, lastWaiting: false, cancellationToken);
        if (outcome.IsValid) return new ReceiptResult(receipt.Id, ReceiptStatus.Applied, receipt.MemberId, outcome.Value);
        if (!waitForPurchase || !await AwaitsPurchaseAsync(program, receipt, outcome.Errors, cancellationToken))
            return Result<ReceiptResult>.Fail(outcome.Errors);

        var purchase = new IdentityKey(program.Settings.ProgramId, IdentityKind.Purchase, receipt.ReturnOf!);
        var archived = await ArchivedAsync(program, sent, raw, cancellationToken);
        await parked.ParkAsync(purchase, new ParkedReceipt(sent, purchase.Kind, purchase.Value, time.GetUtcNow(), archived), cancellationToken);
        var key = program.Member(receipt.MemberId);
        var landed = await MarkAwaitedAsync(program, key, purchase.Value, cancellationToken);
        // Busy: unmarked, so the message is tried again (and the return parked and marked again) rather than left to the sweep.
        if (!landed.IsValid) return Result<ReceiptResult>.Fail(landed.Errors);
        if (!landed.Value) return new ReceiptResult(receipt.Id, ReceiptStatus.Parked);
        // The purchase landed between our try and our mark, without seeing the mark: we apply the returns waiting for it.
        await ReplayWaitingReturnsAsync(program, purchase.Value, cancellationToken);
        return await history.GetOperationAsync(key, receipt.Id, cancellationToken) is { } record
            ? new ReceiptResult(receipt.Id, ReceiptStatus.Applied, receipt.MemberId, record.Outcome)
            : new ReceiptResult(receipt.Id, ReceiptStatus.Parked);
    }

    /// <summary>
    /// The receipt on the member's book, then its stamps on a household member's card, then the returns waiting for it
    /// if the profile says some do (each idempotent on its own).
    /// </summary>
    /// <param name="lastWaiting">See <see cref="SettleAsync"/>.</param>
    private async Task<Result<Outcome>> ApplyToMemberAsync(
        LoadedProgram program, Receipt receipt, IReadOnlyList<string> coupons, Raw raw, bool lastWaiting, CancellationToken cancellationToken)
    {
        IReadOnlyList<CampaignContact> contacts = [];
        var returnsWait = false;
        var key = program.Member(receipt.MemberId);
        // Sent now, so that it travels while the profile is read; nothing is committed before it has answered.
        var claim = claims.ClaimAsync(key.ProgramId, receipt.Id, receipt.MemberId, time.GetUtcNow(), cancellationToken);
        var applied = await commits.RunAsync(key, receipt.Id, receipt.ReturnOf is { } originalId ? [originalId] : [], async (member, book, now) =>
        {
            // Taken from every attempt's read: the one that commits (or finds the purchase recorded) decides.
            returnsWait = receipt.ReturnOf is null && member.Activity.AwaitedPurchases.Contains(receipt.Id);
            if (await claim != receipt.MemberId) return IdTaken<BookChange>(receipt);
            if (receipt.StampsTo is { } to && !await SameHouseholdAsync(program, member.Profile, to, cancellationToken))
                return Result<BookChange>.Fail(ErrorCodes.StampsToOutsideHousehold, "stampsTo", $"Member '{to}' is not in the buyer's household.");
            contacts = [.. member.Activity.AttributedOn((program.Catalog.At(receipt.PurchasedAt) ?? program.InForceAt(now)).LocalDate(receipt.PurchasedAt))];
            return book.Apply(receipt, program.Catalog, now);
        }, (member, change, now) => MemberWrite.From(program, member.Profile, ActivityAfter(member.Activity, receipt, lastWaiting), change, now) with
        {
            Receipt = new ReceiptSummary(receipt.Id, receipt.PurchasedAt, receipt.StoreId, receipt.Channel, receipt.Total, receipt.Currency, receipt.ReturnOf,
                change.Transition.Outcome, raw.Payload is null ? raw.Archived : archive.BesideMember(key, receipt.Id)),
            RawReceipt = raw.Payload,
        }, cancellationToken);
        // Also when the member was not there to decide on: the claim has its answer either way.
        if (await claim != receipt.MemberId) return IdTaken<Outcome>(receipt);
        if (!applied.IsValid) return applied;
        await responses.RecordAsync(program.Settings.ProgramId, receipt.Id, receipt.Total, receipt.PurchasedAt, receipt.MemberId, coupons,
            applied.Value.VouchersRedeemed, contacts, cancellationToken);

        // Also after a replay: a crash after the receipt's commit must not lose the household's stamps.
        foreach (var transfer in applied.Value.StampTransfers)
        {
            var moved = await commits.RunAsync(program.Member(transfer.ToMemberId), transfer.OperationId, [],
                (_, book, now) => Task.FromResult(book.ApplyStampTransfer(program.Catalog.At(receipt.PurchasedAt) ?? program.InForceAt(now), transfer)),
                (member, change, now) => MemberWrite.From(program, member.Profile, member.Activity, change, now), cancellationToken);
            // The recipient left the program since: the stamps have nowhere to go, and the buyer's receipt stands.
            if (!moved.IsValid && moved.Errors.Any(e => e.Code == ApplicationErrors.Busy)) return Result<Outcome>.Fail(moved.Errors);
        }

        // Also after a replay: a crash after the purchase's commit leaves the mark, which only the last waiting return's
        // transaction removes. A failure here fails the purchase's delivery, so its redelivery (or the sweep) tries again.
        if (returnsWait) await ReplayWaitingReturnsAsync(program, receipt.Id, cancellationToken);
        return applied;
    }

    private static MemberActivity ActivityAfter(MemberActivity activity, Receipt receipt, bool lastWaiting) =>
        lastWaiting && receipt.ReturnOf is { } purchaseId ? activity.After(receipt).NoLongerAwaiting(purchaseId) : activity.After(receipt);

    private async Task<bool> SameHouseholdAsync(LoadedProgram program, MemberProfile buyer, string memberId, CancellationToken cancellationToken)
    {
        if (memberId == buyer.MemberId) return true;
        if (!MemberIds.IsWellFormed(memberId)) return false;
        // The head of a household has no household id of its own: the household is named after them.
        var other = await members.GetAsync(program.Member(memberId), cancellationToken);
        return other is not null && (other.Profile.HouseholdId ?? other.Profile.MemberId) == (buyer.HouseholdId ?? buyer.MemberId);
    }

    private static Result<T> IdTaken<T>(Receipt receipt) =>
        Result<T>.Fail(ApplicationErrors.ReceiptIdTaken, "id", $"Receipt '{receipt.Id}' was applied to another member; receipt ids are unique per program.");

    /// <summary>
    /// The archived name of a receipt kept outside a member's transaction (parked, anonymous): a receipt that came with its
    /// bytes (over HTTP, or as a member's receipt of a queue message) is archived on its own (the name carries a digest
    /// of the payload, so a corrected resend is kept beside the first, an identical resend is not).
    /// </summary>
    private async Task<string?> ArchivedAsync(LoadedProgram program, PosReceipt receipt, Raw raw, CancellationToken cancellationToken)
    {
        if (raw.Payload is not { } payload) return raw.Archived;
        var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(payload.Span))[..12];
        return await archive.StoreAsync(program.Settings.ProgramId, Today(), $"receipt-{receipt.Id}-{digest}", payload, cancellationToken);
    }

    private DateOnly Today() => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    private sealed record Checked(Receipt Receipt, Resolved Resolved);

    /// <summary>A receipt's raw payload: archived already under a name (a queue message, a parked receipt), or the bytes to commit with it.</summary>
    private sealed record Raw(string? Archived, ReadOnlyMemory<byte>? Payload);
}
