using Loyalty.Core.Application;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Members;

namespace Loyalty.Bench.Infra;

/// <summary>A member as a generator made it: what the loader writes.</summary>
public sealed record GeneratedMember(MemberProfile Profile, MemberState State, MemberActivity Activity);

/// <summary>
/// Bulk insert of generated members straight through <see cref="IMemberStore.CommitManyAsync"/> (null tokens: inserts):
/// each member's profile with its state, filed in the review index under <see cref="LoadedProgram.NextReviewOn"/>, as
/// enrolment files it. Enrolling through the member service takes 12 storage requests a member, far too slow for
/// loading a scale (docs/benchmarks.md). Left out, because no batch job reads them: identity claims (phone, e-mail, card),
/// operation records, receipt history and ledger rows, and the welcome notification.
/// </summary>
public static class MemberLoader
{
    /// <summary>
    /// The store packs the members of one partition (shard) within a call into transactions of up to 100 actions, two per
    /// member here (profile and index entry). At most this many per shard per call: since a call's members fall into
    /// shards at random, ≈ 100 fill about 80 % of those transactions, and calls stay short enough for a smooth progress bar.
    /// </summary>
    private const int MaxPerShardPerCall = 100;

    /// <param name="generate">Member number (0 to <paramref name="count"/> − 1) to member; called from several threads.</param>
    /// <param name="at">The time the writes are stamped with; also picks the program version that files each member for review.</param>
    /// <param name="parallelism">Store calls at once: each sends its transactions one after another, and Azurite serves one request at a time.</param>
    /// <param name="progress">Members written so far.</param>
    public static async Task LoadAsync(
        IMemberStore store, LoadedProgram program, int count, Func<int, GeneratedMember> generate, DateTimeOffset at, int parallelism,
        IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var shards = program.Settings.Shards;
        // Small loads still spread over every caller; large ones fill the transactions.
        var perCall = shards * Math.Clamp((count + shards * parallelism - 1) / (shards * parallelism), 1, MaxPerShardPerCall);
        long done = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };
        await Parallel.ForAsync(0, (count + perCall - 1) / perCall, options, async (call, ct) =>
        {
            var from = call * perCall;
            var writes = new List<MemberBatchWrite>(perCall);
            for (var n = from; n < Math.Min(count, from + perCall); n++)
            {
                var member = generate(n);
                var write = new MemberWrite(member.Profile, member.State, member.Activity, at, program.NextReviewOn(member.State, at));
                writes.Add(new MemberBatchWrite(program.Member(member.Profile.MemberId), write, null));
            }

            var results = await store.CommitManyAsync(writes, ct);
            var refused = results.Count(r => r != CommitResult.Committed);
            if (refused > 0)
                throw new InvalidOperationException($"{refused} of {writes.Count} members were not inserted: their ids exist already (a generator " +
                    "repeating ids, or a table not empty).");
            progress?.Report(Interlocked.Add(ref done, writes.Count));
        });
    }
}
