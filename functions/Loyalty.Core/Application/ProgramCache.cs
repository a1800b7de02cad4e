using System.Collections.Concurrent;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Members;
using Loyalty.Core.Programs;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Application;

/// <summary>
/// Every member request needs its program (versions to score with, shard count to find the row), so definitions are
/// cached per instance for <see cref="TimeToLive"/> instead of costing a storage query per request. A publish through
/// this instance is visible at once; other instances see it within the TTL, which is why a version takes effect at its
/// <c>EffectiveFrom</c>, normally set ahead of time, and not at the moment of publishing.
/// </summary>
public sealed class ProgramCache(IProgramStore store, TimeProvider time)
{
    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (LoadedProgram Program, DateTimeOffset Until)> entries = new(StringComparer.Ordinal);

    /// <returns>Null for an unknown program; not-found is not cached, so a program created elsewhere is found at once.</returns>
    public async Task<LoadedProgram?> GetAsync(string programId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (entries.TryGetValue(programId, out var hit) && hit.Until > now) return hit.Program;
        if (await store.GetAsync(programId, cancellationToken) is not { } stored) return null;
        var loaded = LoadedProgram.From(stored);
        entries[programId] = (loaded, now + TimeToLive);
        return loaded;
    }

    /// <summary>
    /// The program a request acts in, resolved once at its edge (an HTTP handler, a queue message, a command): a service
    /// that takes the result has no not-found branch of its own, so the refusal is given here, in one wording.
    /// </summary>
    public async Task<Result<LoadedProgram>> ResolveAsync(string programId, CancellationToken cancellationToken) =>
        await GetAsync(programId, cancellationToken) is { } program ? program : Refusals.ProgramNotFound<LoadedProgram>(programId);

    public void Invalidate(string programId) => entries.TryRemove(programId, out _);
}

/// <summary>A program's settings and all its versions, compiled.</summary>
public sealed record LoadedProgram(ProgramSettings Settings, ProgramCatalog Catalog)
{
    /// <exception cref="InvalidOperationException">Stored versions do not compile: they were validated on publish, so this is a bug.</exception>
    public static LoadedProgram From(StoredProgram stored)
    {
        var catalog = ProgramCatalog.Create(stored.Versions);
        return catalog.IsValid
            ? new LoadedProgram(stored.Settings, catalog.Value)
            : throw new InvalidOperationException($"The stored versions of program '{stored.Settings.ProgramId}' do not compile: " +
                $"{string.Join("; ", catalog.Errors.Select(e => $"{e.Path}: {e.Message}"))}");
    }

    /// <summary>The version for an operation happening now; before the first version takes effect, the first version.</summary>
    public CompiledProgram InForceAt(DateTimeOffset now) => Catalog.At(now) ?? Catalog.Versions[0];

    public MemberKey Member(string memberId) => new(Settings.ProgramId, Settings.Shards, memberId);

    /// <summary>The date to file a member under for the nightly review after a write at <paramref name="now"/> (<see cref="MemberWrite.ReviewOn"/>).</summary>
    public DateOnly? NextReviewOn(MemberState state, DateTimeOffset now) => MemberReview.NextReviewOn(state, Catalog, now);
}
