using Loyalty.Core.Programs;

namespace Loyalty.Core.Application.Ports;

/// <summary>Program settings and every published definition version.</summary>
public interface IProgramStore
{
    /// <returns>False when a program with that id exists already.</returns>
    Task<bool> CreateAsync(ProgramSettings settings, ProgramDefinition first, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="definition"/> under its version number.</summary>
    /// <returns>False when that version exists already (a concurrent publish won).</returns>
    Task<bool> AddVersionAsync(ProgramDefinition definition, CancellationToken cancellationToken);

    /// <returns>Null when there is no such program; versions in ascending order otherwise.</returns>
    Task<StoredProgram?> GetAsync(string programId, CancellationToken cancellationToken);

    /// <summary>Every program's id, for jobs that visit all programs.</summary>
    Task<IReadOnlyList<string>> ListIdsAsync(CancellationToken cancellationToken);
}

/// <summary>What is fixed when a program is created.</summary>
public sealed record ProgramSettings(string ProgramId, string Name, string DefaultCountry, int Shards, DateTimeOffset CreatedAt);

public sealed record StoredProgram(ProgramSettings Settings, IReadOnlyList<ProgramDefinition> Versions);
