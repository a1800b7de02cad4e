using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Campaigns;
using Loyalty.Core.Segments;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Application.Campaigns;

/// <summary>Segments and campaigns of a program, for marketers (scope <c>marketing</c>).</summary>
public interface ICampaignService
{
    Task<Result<NamedSegmentView>> CreateSegmentAsync(string programId, CreateSegment request, CancellationToken cancellationToken);

    Task<Result<IReadOnlyList<NamedSegmentView>>> ListSegmentsAsync(string programId, CancellationToken cancellationToken);

    /// <summary>How many members a segment matches now: estimated from a sample of shards, or exact over all of them.</summary>
    Task<Result<SegmentSize>> PreviewSegmentAsync(string programId, SegmentPreview request, CancellationToken cancellationToken);

    /// <summary>A new campaign, in draft.</summary>
    Task<Result<CampaignView>> CreateAsync(string programId, CampaignDefinition definition, CancellationToken cancellationToken);

    Task<Result<IReadOnlyList<CampaignView>>> ListAsync(string programId, CancellationToken cancellationToken);

    /// <summary>The campaign with its next run and every run's progress (shards done, counts so far).</summary>
    Task<Result<CampaignView>> GetAsync(string programId, string campaignId, CancellationToken cancellationToken);

    /// <summary>Draft → scheduled: from now on its runs start at their times without anyone pressing a button.</summary>
    Task<Result<CampaignView>> ScheduleAsync(string programId, string campaignId, CancellationToken cancellationToken);

    /// <summary>Stops the campaign: no further runs, and a running fan-out stops at its next chunk.</summary>
    Task<Result<CampaignView>> CancelAsync(string programId, string campaignId, CancellationToken cancellationToken);

    Task<Result<CampaignStatisticsView>> GetStatisticsAsync(string programId, string campaignId, CancellationToken cancellationToken);
}

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
