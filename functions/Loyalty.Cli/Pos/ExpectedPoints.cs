using System.Collections.Concurrent;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Identities;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Application.Receipts;
using Loyalty.Core.Members;
using Loyalty.Core.Programs;
using Loyalty.Core.Receipts;

namespace Loyalty.Cli.Pos;

/// <summary>
/// The qualifying points every targeted member should have once the queue has drained: the member's state as read
/// before the run, with its receipts applied in send order by the domain's own <see cref="MemberBook"/> (duplicates
/// skipped: they must not count). The worker applies receipts in another order, so the comparison holds only because
/// qualifying points do not depend on order for the demo program and simulated receipts, which in turn needs every
/// simulated receipt dated on the same local day: that is why <see cref="BasketGenerator"/> never dates a purchase
/// before today's local midnight. The argument in full: docs/pos-integration.md, 'Load: the POS simulator'.
/// Balance, vouchers and stamps do depend on order, so they are not compared.
/// </summary>
internal sealed class ExpectedPoints
{
    /// <summary>Azurite serves about eight concurrent callers before it is the bottleneck (docs/benchmarks.md, Azurite's limits).</summary>
    private const int Parallelism = 8;

    private readonly IMemberStore members;
    private readonly ProgramSettings program;
    private readonly IReadOnlyList<Target> targets;

    private ExpectedPoints(IMemberStore members, ProgramSettings program, IReadOnlyList<Target> targets, int unknownIdentifiers)
    {
        this.members = members;
        this.program = program;
        this.targets = targets;
        UnknownIdentifiers = unknownIdentifiers;
    }

    public int Members => targets.Count;

    /// <summary>Identifiers nobody holds: their receipts are parked by the service, not applied, and not verified here.</summary>
    public int UnknownIdentifiers { get; }

    public long QualifyingGained => targets.Sum(t => t.Expected - t.Before);

    /// <summary>Reads the targeted members as they are now and applies the plan to them in memory.</summary>
    public static async Task<ExpectedPoints> PrepareAsync(
        IIdentityStore identities, IMemberStore members, ProgramSettings program, ProgramCatalog catalog, SimulationPlan plan, DateTimeOffset now,
            CancellationToken cancellationToken)
    {
        var identifiers = plan.Receipts.Select(r => r.Receipt.Member).OfType<MemberIdentifier>().Select(i => Key(program, i)).Distinct().ToList();
        var owners = new ConcurrentDictionary<IdentityKey, string>();
        await Parallel.ForEachAsync(identifiers, Options(cancellationToken), async (key, ct) =>
        {
            if (await identities.GetAsync(key, ct) is { } claim) owners[key] = claim.MemberId;
        });

        var states = new ConcurrentDictionary<string, MemberState>();
        await Parallel.ForEachAsync(owners.Values.Distinct(), Options(cancellationToken), async (memberId, ct) =>
        {
            // A claim whose member was never written (a crashed enrolment) is nobody's: the service parks such receipts too.
            if (await members.GetAsync(new MemberKey(program.ProgramId, program.Shards, memberId), ct) is { } member)
                states[memberId] = member.State;
        });

        var books = states.ToDictionary(s => s.Key, s => new MemberBook(s.Value));
        foreach (var (receipt, _) in plan.Receipts.Where(r => !r.Duplicate))
        {
            if (receipt.Member is not { } identifier || !owners.TryGetValue(Key(program, identifier), out var memberId)
                || !books.TryGetValue(memberId, out var book)) continue;
            var change = book.Apply(receipt.ToReceipt(memberId), catalog, now);
            if (!change.IsValid)
                throw new InvalidOperationException($"The domain refuses simulated receipt '{receipt.Id}' (a simulator bug): " +
                    $"{string.Join(" ", change.Errors.Select(e => e.Message))}");
            books[memberId] = change.Value.Book;
        }

        var unknown = identifiers.Count(key => !owners.TryGetValue(key, out var owner) || !states.ContainsKey(owner));
        var targets = books.Select(b => new Target(b.Key, states[b.Key].QualifyingPoints, b.Value.State.QualifyingPoints))
            .OrderBy(t => t.MemberId, StringComparer.Ordinal).ToList();
        return new ExpectedPoints(members, program, targets, unknown);
    }

    /// <summary>Reads the members again; the ones whose qualifying points are not what the domain says.</summary>
    public async Task<IReadOnlyList<Mismatch>> CompareAsync(CancellationToken cancellationToken)
    {
        var mismatches = new ConcurrentBag<Mismatch>();
        await Parallel.ForEachAsync(targets, Options(cancellationToken), async (target, ct) =>
        {
            var member = await members.GetAsync(new MemberKey(program.ProgramId, program.Shards, target.MemberId), ct);
            if (member?.State.QualifyingPoints != target.Expected)
                mismatches.Add(new Mismatch(target.MemberId, target.Before, target.Expected, member?.State.QualifyingPoints));
        });
        return [.. mismatches.OrderBy(m => m.MemberId, StringComparer.Ordinal)];
    }

    /// <summary>The identity the service looks the identifier up by (Core's MemberIdentifiers is internal; simulated receipts use only phones and
    /// e-mails).</summary>
    private static IdentityKey Key(ProgramSettings program, MemberIdentifier identifier) =>
        identifier switch
        {
            { Phone: { } phone } when Phones.TryNormalize(phone, program.DefaultCountry, out var e164) =>
            new IdentityKey(program.ProgramId, IdentityKind.Phone, e164),
            { Email: { } email } when EmailAddresses.TryNormalize(email, out var normalized) =>
            new IdentityKey(program.ProgramId, IdentityKind.Email, normalized),
            _ => throw new InvalidOperationException($"The simulator identifies members by a valid phone or e-mail only, not {identifier}."),
        };

    private static ParallelOptions Options(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };

    private sealed record Target(string MemberId, long Before, long Expected);
}

/// <param name="Actual">Null when the member is gone.</param>
internal sealed record Mismatch(string MemberId, long Before, long Expected, long? Actual);
