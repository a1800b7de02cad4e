namespace Loyalty.Bench;

public enum ScaleName
{
    /// <summary>Seconds per scenario: the CI smoke run that keeps the program from rotting. Its numbers mean nothing.</summary>
    Tiny,

    /// <summary>The numbers for docs/benchmarks.md: a few minutes per scenario on a 2-core machine.</summary>
    Full,
}

/// <summary>How much work each scenario does.</summary>
public sealed record Scale
{
    public required ScaleName Name { get; init; }

    /// <summary>Warm-up and measured window of every timed run.</summary>
    public required TimeSpan Warmup { get; init; }
    public required TimeSpan Measure { get; init; }

    // storage
    public required int PointRows { get; init; }
    public required int ScanRows { get; init; }
    public required int QueueDepth { get; init; }

    /// <summary>Paired measurements (a result and its bound): this many alternating slices of each, each this long.</summary>
    public required int Slices { get; init; }
    public required TimeSpan Slice { get; init; }

    // lookup
    public required int LookupMembers { get; init; }

    // ingest
    public required int IngestMembers { get; init; }
    public required TimeSpan IngestMeasure { get; init; }
    public required int QueueReceipts { get; init; }

    // nightly, fanout
    /// <summary>
    /// Members loaded, and reviewed or offered the campaign. Not the million the targets name at full scale: Azurite's disk mode saves its table database
    /// as one string, which Node caps at 512 Mi characters (about 150,000 members of this shape), and every write costs in
    /// proportion to the rows of its table (docs/benchmarks.md). 20,000 at full scale keeps <c>all</c> within a CI-sized
    /// run; far more (<c>--members</c>) makes the review alone run for hours on the emulator.
    /// </summary>
    public required int JobMembers { get; init; }

    // domain
    public required TimeSpan DomainRound { get; init; }
    public required int DomainRounds { get; init; }

    public static Scale Of(ScaleName name) => name switch
    {
        ScaleName.Tiny => new Scale
        {
            Name = name,
            Warmup = TimeSpan.FromMilliseconds(200),
            Measure = TimeSpan.FromMilliseconds(700),
            PointRows = 300,
            ScanRows = 1_000,
            QueueDepth = 100,
            Slices = 2,
            Slice = TimeSpan.FromMilliseconds(400),
            LookupMembers = 40,
            IngestMembers = 40,
            IngestMeasure = TimeSpan.FromSeconds(1.5),
            QueueReceipts = 200,
            JobMembers = 2_000,
            DomainRound = TimeSpan.FromMilliseconds(100),
            DomainRounds = 3,
        },
        _ => new Scale
        {
            Name = name,
            Warmup = TimeSpan.FromSeconds(1),
            Measure = TimeSpan.FromSeconds(5),
            PointRows = 10_000,
            ScanRows = 50_000,
            QueueDepth = 1_000,
            Slices = 5,
            Slice = TimeSpan.FromSeconds(2),
            LookupMembers = 5_000,
            IngestMembers = 2_000,
            IngestMeasure = TimeSpan.FromSeconds(20),
            QueueReceipts = 6_000,
            JobMembers = 20_000,
            DomainRound = TimeSpan.FromSeconds(1),
            DomainRounds = 7,
        },
    };
}
