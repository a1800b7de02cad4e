using Loyalty.Core.Events;
using Loyalty.Core.Ledger;
using Loyalty.Core.Members;

namespace Loyalty.Core.Application.Ports;

/// <summary>
/// One atomic change to a member: the new profile and state, and what the operation that caused it writes beside them
/// (its record, the idempotency key; ledger entries, the receipt, earlier records it changed, the outbox row, consent
/// changes). <see cref="At"/> orders history. Services build writes with
/// <see cref="From(LoadedProgram, MemberProfile, MemberActivity, BookChange, DateTimeOffset)"/>, which derives the review
/// date, record, ledger and outbox from the change, so no write can leave one of them out.
/// <see cref="ReviewOn"/> (null: nothing changes by itself) and a batch job's <see cref="Tally"/> commit in the same
/// transaction, so the nightly job finds exactly the members due and a job's totals are read from what was written
/// (<see cref="IJobProgressStore.WrittenAsync"/>), never lost to a crash nor counted twice by two runners; see
/// docs/architecture.md, 'The nightly review reads an index, not the members'.
/// </summary>
public sealed record MemberWrite(
    MemberProfile Profile,
    MemberState State,
    MemberActivity Activity,
    DateTimeOffset At,
    DateOnly? ReviewOn,
    OperationRecord? Operation = null,
    IReadOnlyList<LedgerEntry>? Ledger = null,
    ReceiptSummary? Receipt = null,
    IReadOnlyList<OperationRecord>? UpdatedRecords = null,
    Notification? Outbox = null,
    IReadOnlyList<ConsentChange>? ConsentChanges = null,
    JobTally? Tally = null)
{
    /// <summary>
    /// The raw payload of <see cref="Receipt"/> as it was received, stored with it in the same transaction (over HTTP, or
    /// its slice of a queue message), where <see cref="IReceiptArchive.BesideMember"/> finds it; null when it is archived elsewhere.
    /// </summary>
    public ReadOnlyMemory<byte>? RawReceipt { get; init; }

    /// <summary>The write of an operation on the member's book: its record, ledger entries and outbox row with the new state.</summary>
    internal static MemberWrite From(LoadedProgram program, MemberProfile profile, MemberActivity activity, BookChange change, DateTimeOffset now)
    {
        var transition = change.Transition;
        return From(program, profile, change.Book.State, activity, now) with
        {
            Operation = change.Recorded,
            Ledger = transition.Ledger,
            UpdatedRecords = change.Updated.Count == 0 ? null : change.Updated,
            Outbox = transition.Events.Count == 0
                ? null
                : new Notification(program.Settings.ProgramId, profile.MemberId, transition.Outcome.OperationId, now, transition.Events),
        };
    }

    /// <summary>A change that is no operation (contact details, erasure): nothing to record or tell, but the review date may move.</summary>
    internal static MemberWrite From(LoadedProgram program, MemberProfile profile, MemberState state, MemberActivity activity, DateTimeOffset now) =>
        new(profile, state, activity, now, program.NextReviewOn(state, now));
}
