using Loyalty.Core.Application.Identities;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Programs;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Application;

public sealed class ProgramService(IProgramStore store, ProgramCache cache, TimeProvider time) : IProgramService
{
    public const int MaxShards = 1024;
    private const int MaxProgramIdLength = 40;

    /// <summary>
    /// How far before now a new version's <c>effectiveFrom</c> may lie: receipts already scored must not change their
    /// version under them, but an admin's clock and a slow request deserve a little slack.
    /// </summary>
    public static readonly TimeSpan EffectiveFromSkew = TimeSpan.FromMinutes(5);

    public async Task<Result<ProgramSummary>> CreateAsync(CreateProgram request, CancellationToken cancellationToken)
    {
        var definition = request.Definition;
        var errors = new ErrorList();
        Names.Check(errors, request.Name, "name");
        if (!Phones.IsSupportedCountry(request.DefaultCountry))
            errors.Add(ErrorCodes.OutOfRange, "defaultCountry", "The default country is an upper-case ISO 3166-1 alpha-2 code, e.g. SE.");
        if (request.Shards is < 1 or > MaxShards || !int.IsPow2(request.Shards))
            errors.Add(ErrorCodes.OutOfRange, "shards", $"Shards is a power of two from 1 to {MaxShards}.");
        if (!IsProgramId(definition.ProgramId))
            errors.Add(ErrorCodes.InvalidIdentifier, "definition.programId", $"A program id has 1–{MaxProgramIdLength} lower-case letters, digits and '-'.");
        if (definition.Version != 1)
            errors.Add(ErrorCodes.OutOfRange, "definition.version", "A new program starts at version 1.");
        var compiled = CompiledProgram.Compile(definition);
        if (!compiled.IsValid) errors.AddRange(compiled.Errors.Select(e => e with { Path = Prefixed("definition", e.Path) }));
        if (errors.Any) return Result<ProgramSummary>.Fail(errors.Items);

        var settings = new ProgramSettings(definition.ProgramId, Texts.Trim(request.Name), request.DefaultCountry, request.Shards, time.GetUtcNow());
        if (!await store.CreateAsync(settings, definition, cancellationToken))
            return Result<ProgramSummary>.Fail(ApplicationErrors.ProgramExists, "definition.programId", $"Program '{definition.ProgramId}' exists already.");
        cache.Invalidate(definition.ProgramId);
        return Summary(new StoredProgram(settings, [definition]));
    }

    /// <summary>
    /// Program ids start every storage key, joined with '|': a narrow alphabet keeps one program's keys out of another's
    /// range. Anything else names no program, so it is never looked up.
    /// </summary>
    public static bool IsProgramId(string? id) =>
        id is { Length: > 0 and <= MaxProgramIdLength } && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    public async Task<Result<ProgramSummary>> PublishAsync(string programId, ProgramDefinition definition, CancellationToken cancellationToken)
    {
        if (ProgramValidator.Validate(definition) is { Count: > 0 } shape) return Result<ProgramSummary>.Fail(shape);
        var now = time.GetUtcNow();
        if (definition.EffectiveFrom < now - EffectiveFromSkew)
            return Result<ProgramSummary>.Fail(ErrorCodes.EffectiveFromInPast, "effectiveFrom",
                $"A new version takes effect from now on ({now:O}, give or take {EffectiveFromSkew.TotalMinutes:0} minutes), not in the past.");
        if (await store.GetAsync(programId, cancellationToken) is not { } stored) return Refusals.ProgramNotFound<ProgramSummary>(programId);
        if (definition.ProgramId != programId)
            return Result<ProgramSummary>.Fail(ErrorCodes.ProgramMismatch, "programId",
                $"The definition is for program '{definition.ProgramId}', not '{programId}'.");
        var next = stored.Versions[^1].Version + 1;
        if (definition.Version != next)
            return Result<ProgramSummary>.Fail(ApplicationErrors.VersionConflict, "version", $"The next version of '{programId}' is {next}.");
        var versions = stored.Versions.Append(definition).ToArray();
        var catalog = ProgramCatalog.Create(versions);
        if (!catalog.IsValid)
        {
            // Report paths relative to the posted definition, not to the catalog's version list.
            var prefix = $"versions[{versions.Length - 1}]";
            return Result<ProgramSummary>.Fail([.. catalog.Errors.Select(e =>
                e with { Path = e.Path == prefix ? "" : e.Path.Replace(prefix + ".", "", StringComparison.Ordinal) })]);
        }
        if (!await store.AddVersionAsync(definition, cancellationToken))
            return Result<ProgramSummary>.Fail(ApplicationErrors.VersionConflict, "version",
                $"Version {definition.Version} of '{programId}' was published meanwhile; reload and try again.");
        cache.Invalidate(programId);
        return Summary(stored with { Versions = versions });
    }

    public async Task<Result<ProgramSummary>> GetAsync(string programId, CancellationToken cancellationToken) =>
        await store.GetAsync(programId, cancellationToken) is { } stored ? Summary(stored) : Refusals.ProgramNotFound<ProgramSummary>(programId);

    private static ProgramSummary Summary(StoredProgram stored) => new(
        stored.Settings.ProgramId, stored.Settings.Name, stored.Settings.DefaultCountry, stored.Settings.Shards,
        stored.Versions[^1], [.. stored.Versions.Select(v => v.Version)]);

    private static string Prefixed(string prefix, string path) => path.Length == 0 ? prefix : $"{prefix}.{path}";
}
