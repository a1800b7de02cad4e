using Loyalty.Core.Programs;

namespace Loyalty.Core.Application;

public sealed record CreateProgram
{
    public required ProgramDefinition Definition { get; init; }
    public required string Name { get; init; }

    /// <summary>ISO 3166-1 alpha-2 country for phone numbers written without a country code.</summary>
    public string DefaultCountry { get; init; } = "SE";

    /// <summary>Member partitions; fixed at creation. A power of two from 1 to 1024.</summary>
    public int Shards { get; init; } = 64;
}

public sealed record ProgramSummary(string ProgramId, string Name, string DefaultCountry, int Shards, ProgramDefinition Latest, IReadOnlyList<int> Versions);
