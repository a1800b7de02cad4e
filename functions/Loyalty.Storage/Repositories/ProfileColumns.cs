using Azure;
using Azure.Data.Tables;

namespace Loyalty.Storage.Repositories;

/// <summary>
/// A profile row (<see cref="MemberRows.ProfileRow"/>) as the member store reads it: only the columns a
/// <see cref="Loyalty.Core.Application.Ports.StoredMember"/> is made of, asked for by name (<see cref="Selected"/>). The
/// flattened copies for campaign segments are left on the service, and the SDK binds the rest straight to these
/// properties instead of building, copying and then searching a dictionary per row: reads of profiles are the hot path of
/// every lookup, receipt and shard scan.
/// </summary>
internal sealed class ProfileColumns : ITableEntity
{
    /// <summary>The columns of <see cref="MemberRows.ReadProfile"/>, and RowKey for the member id (the partition is known).</summary>
    public static readonly IReadOnlyList<string> Selected =
    [
        nameof(RowKey), nameof(FirstName), nameof(LastName), nameof(Email), nameof(Phone), nameof(CardNumber), nameof(ExternalId),
        nameof(BirthDate), nameof(StoreId), nameof(HouseholdId), nameof(EnrolledAt), nameof(ErasedAt), nameof(Consents),
        nameof(Interests), nameof(Activity), nameof(NextReviewOn), nameof(State),
    ];

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public string? Email { get; set; }

    public string? Phone { get; set; }

    public string? CardNumber { get; set; }

    public string? ExternalId { get; set; }

    public string? BirthDate { get; set; }

    public string? StoreId { get; set; }

    public string? HouseholdId { get; set; }

    public DateTimeOffset? EnrolledAt { get; set; }

    public DateTimeOffset? ErasedAt { get; set; }

    public string? Consents { get; set; }

    public string? Interests { get; set; }

    public string? Activity { get; set; }

    public string? NextReviewOn { get; set; }

    public string? State { get; set; }
}
