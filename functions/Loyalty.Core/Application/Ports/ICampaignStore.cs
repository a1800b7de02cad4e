using Loyalty.Core.Campaigns;
using Loyalty.Core.Segments;

namespace Loyalty.Core.Application.Ports;

/// <summary>A program's campaigns (definition, status, runs) and named segments, as documents with optimistic concurrency.</summary>
public interface ICampaignStore
{
    Task<Versioned<Campaign>?> GetAsync(string programId, string campaignId, CancellationToken cancellationToken);

    Task<IReadOnlyList<Versioned<Campaign>>> ListAsync(string programId, CancellationToken cancellationToken);

    /// <summary>Adds a campaign and claims its coupon code, if it has one, for the program.</summary>
    /// <returns><see cref="CampaignInsert.Inserted"/>, or which of the two was taken (nothing is written then).</returns>
    Task<CampaignInsert> InsertAsync(string programId, Campaign campaign, CancellationToken cancellationToken);

    /// <summary>Replaces the campaign if it is still at <paramref name="version"/>; false when someone changed it since.</summary>
    Task<bool> ReplaceAsync(string programId, Campaign campaign, string version, CancellationToken cancellationToken);

    /// <summary>The campaign whose coupon code this is, if any (codes are unique per program, whatever their letter case).</summary>
    Task<string?> FindByCouponAsync(string programId, string code, CancellationToken cancellationToken);

    Task<NamedSegment?> GetSegmentAsync(string programId, string segmentId, CancellationToken cancellationToken);

    Task<IReadOnlyList<NamedSegment>> ListSegmentsAsync(string programId, CancellationToken cancellationToken);

    /// <summary>Adds a named segment; false when the id is taken.</summary>
    Task<bool> InsertSegmentAsync(string programId, NamedSegment segment, CancellationToken cancellationToken);
}

/// <summary>A document and the opaque version to pass back when replacing it.</summary>
public sealed record Versioned<T>(T Value, string Version);

public enum CampaignInsert
{
    Inserted,
    IdTaken,
    CouponTaken,
}

/// <summary>A segment saved under an id, for campaigns to refer to and marketers to reuse.</summary>
public sealed record NamedSegment(string SegmentId, string Name, SegmentDefinition Definition, DateTimeOffset CreatedAt);
