using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Campaigns;
using Loyalty.Core.Segments;

namespace Loyalty.Core.Application.Campaigns;

public sealed record CreateSegment
{
    public required string SegmentId { get; init; }
    public required string Name { get; init; }
    public SegmentDefinition Definition { get; init; } = new();
}

public sealed record NamedSegmentView(string SegmentId, string Name, SegmentDefinition Definition, DateTimeOffset CreatedAt);

/// <summary>Exactly one of <see cref="SegmentId"/> and <see cref="Definition"/>.</summary>
public sealed record SegmentPreview
{
    public string? SegmentId { get; init; }
    public SegmentDefinition? Definition { get; init; }

    /// <summary>Count every shard instead of a sample.</summary>
    public bool Exact { get; init; }
}

/// <param name="Matching">Members matching (estimated: scaled up from the shards counted).</param>
/// <param name="Reachable">Of those, members with consent and an address on each channel.</param>
/// <param name="Members">Members looked at.</param>
/// <param name="ShardsCounted">Shards read; equal to <paramref name="Shards"/> when exact.</param>
public sealed record SegmentSize(long Matching, IReadOnlyDictionary<string, long> Reachable, long Members, bool Exact, int ShardsCounted, int Shards);

/// <param name="NextRunAt">When the next run starts (null when none is left or the campaign is not scheduled).</param>
public sealed record CampaignView(Campaign Campaign, DateTimeOffset? NextRunAt, IReadOnlyList<CampaignRunView> Runs);

/// <param name="ShardsDone">Shards finished; <paramref name="Complete"/> once the run's totals are recorded.</param>
public sealed record CampaignRunView(string RunId, bool Complete, int ShardsDone, int Shards, JobCounts Counts);

/// <param name="Runs">Runs started so far.</param>
/// <param name="AttributionDays">The window a purchase after a delivery counts in (the delivery day is day 1).</param>
public sealed record CampaignStatisticsView(string CampaignId, int Runs, int AttributionDays, CampaignStatistics Statistics);
