using Loyalty.Core.Events;
using Loyalty.Core.Ledger;

namespace Loyalty.Core.Members;

/// <summary>The result of a pure transition: the new state, what to append to the ledger and the outbox, and the outcome to return to the caller.</summary>
public sealed record Transition(MemberState State, IReadOnlyList<LedgerEntry> Ledger, IReadOnlyList<DomainEvent> Events, Outcome Outcome);
