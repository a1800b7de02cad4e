using Loyalty.Core.Validation;

namespace Loyalty.Core.Programs;

/// <summary>All versions of one program, so each receipt is scored by the version in force at its purchase time.</summary>
public sealed class ProgramCatalog
{
    private readonly CompiledProgram[] versions;

    private ProgramCatalog(CompiledProgram[] versions) => this.versions = versions;

    public CompiledProgram Latest => versions[^1];

    public IReadOnlyList<CompiledProgram> Versions => versions;

    /// <summary>
    /// Versions must share program id, currency and time zone (points, money and dates must mean the same across
    /// versions) and rise in both version number and effective time. Each version is checked by the rules that make it
    /// computable, not by the bounds of <see cref="ProgramValidator"/>: a stored version may predate a bound, and a new
    /// one has passed them all on its way in.
    /// </summary>
    public static Result<ProgramCatalog> Create(IReadOnlyList<ProgramDefinition> definitions)
    {
        var errors = new ErrorList();
        if (definitions.Count == 0) errors.Add(ErrorCodes.Required, "versions", "A program needs at least one version.");
        var compiled = new CompiledProgram[definitions.Count];
        for (var i = 0; i < definitions.Count; i++)
        {
            // Versions are stored ones, or a new one that passed every rule on its way in (ProgramService).
            var result = CompiledProgram.Compile(definitions[i], published: true);
            if (!result.IsValid)
            {
                errors.AddRange(result.Errors.Select(e => e with { Path = Join($"versions[{i}]", e.Path) }));
                continue;
            }
            compiled[i] = result.Value;
            if (i == 0) continue;
            var (previous, current) = (definitions[i - 1], definitions[i]);
            if (current.ProgramId != previous.ProgramId)
                errors.Add(ErrorCodes.ProgramMismatch, $"versions[{i}].programId", "All versions must belong to the same program.");
            if (current.Currency != previous.Currency)
                errors.Add(ErrorCodes.CurrencyMismatch, $"versions[{i}].currency",
                    "A program cannot change currency between versions: points earned before would change meaning.");
            if (current.TimeZone != previous.TimeZone)
                errors.Add(ErrorCodes.InvalidCombination, $"versions[{i}].timeZone",
                    "A program cannot change time zone between versions: stored period and expiry dates would shift.");
            if (current.Version <= previous.Version)
                errors.Add(ErrorCodes.NotAscending, $"versions[{i}].version", "Version numbers must rise.");
            if (current.EffectiveFrom <= previous.EffectiveFrom)
                errors.Add(ErrorCodes.NotAscending, $"versions[{i}].effectiveFrom", "Each version must take effect after the one before it.");
        }
        return errors.Any ? Result<ProgramCatalog>.Fail(errors.Items) : new ProgramCatalog(compiled);
    }

    public static Result<ProgramCatalog> Create(params ProgramDefinition[] definitions) => Create((IReadOnlyList<ProgramDefinition>)definitions);

    /// <summary>The version in force at <paramref name="instant"/>, or null before the first version.</summary>
    public CompiledProgram? At(DateTimeOffset instant)
    {
        for (var i = versions.Length - 1; i >= 0; i--)
            if (versions[i].Definition.EffectiveFrom <= instant) return versions[i];
        return null;
    }

    public CompiledProgram? Version(int version) => Array.Find(versions, v => v.Version == version);

    private static string Join(string prefix, string path) => path.Length == 0 ? prefix : $"{prefix}.{path}";
}
