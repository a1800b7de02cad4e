using Loyalty.Core.Campaigns;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Application.Campaigns;

/// <summary>Segments and campaigns of a program, for marketers (scope <c>marketing</c>).</summary>
public interface ICampaignService
{
    Task<Result<NamedSegmentView>> CreateSegmentAsync(LoadedProgram program, CreateSegment request, CancellationToken cancellationToken);

    Task<Result<IReadOnlyList<NamedSegmentView>>> ListSegmentsAsync(LoadedProgram program, CancellationToken cancellationToken);

    /// <summary>How many members a segment matches now: estimated from a sample of shards, or exact over all of them.</summary>
    Task<Result<SegmentSize>> PreviewSegmentAsync(LoadedProgram program, SegmentPreview request, CancellationToken cancellationToken);

    /// <summary>A new campaign, in draft.</summary>
    Task<Result<CampaignView>> CreateAsync(LoadedProgram program, CampaignDefinition definition, CancellationToken cancellationToken);

    Task<Result<IReadOnlyList<CampaignView>>> ListAsync(LoadedProgram program, CancellationToken cancellationToken);

    /// <summary>The campaign with its next run and every run's progress (shards done, counts so far).</summary>
    Task<Result<CampaignView>> GetAsync(LoadedProgram program, string campaignId, CancellationToken cancellationToken);

    /// <summary>Draft → scheduled: from now on its runs start at their times without anyone pressing a button.</summary>
    Task<Result<CampaignView>> ScheduleAsync(LoadedProgram program, string campaignId, CancellationToken cancellationToken);

    /// <summary>Stops the campaign: no further runs, and a running fan-out stops at its next chunk.</summary>
    Task<Result<CampaignView>> CancelAsync(LoadedProgram program, string campaignId, CancellationToken cancellationToken);

    Task<Result<CampaignStatisticsView>> GetStatisticsAsync(LoadedProgram program, string campaignId, CancellationToken cancellationToken);
}
