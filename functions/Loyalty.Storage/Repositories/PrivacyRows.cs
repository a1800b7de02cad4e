using Azure.Data.Tables;
using System.Globalization;
using System.Text.Json;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Privacy;
using Loyalty.Core.Serialization;
using Loyalty.Storage.Tables;

namespace Loyalty.Storage.Repositories;

/// <summary>
/// The member rows that record privacy facts, in the member's Members partition beside <see cref="MemberRows"/>:
/// <c>c|{memberId}|{ticks}|{channel}|{random}</c> one consent change each, oldest first, written in the transaction that
/// changed the consent (the random part keeps two changes in the same tick apart); <c>e|{memberId}</c> the erasure record, inserted with the de-identified
/// profile (its insert is
/// what makes a second erasure a no-op).
/// </summary>
internal static class PrivacyRows
{
    public const string Consent = "c";

    public static string Erasure(string memberId) => $"e|{memberId}";

    public static TableEntity ConsentRow(string partitionKey, string memberId, ConsentChange change) =>
        new(partitionKey,
            $"{MemberRows.RangeStart(Consent, memberId)}{change.At.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}|{change.Channel}|{Guid.NewGuid():N}")
        {
            ["Channel"] = change.Channel.ToString(),
            ["Granted"] = change.Granted,
            ["At"] = change.At,
            ["Source"] = change.Source,
        };

    public static ConsentChange ReadConsent(TableEntity row) => new(
        Enum.Parse<ConsentChannel>(row.Required("Channel")), row.GetBoolean("Granted") ?? false, row.GetDateTimeOffset("At") ?? default,
            row.Required("Source"));

    public static TableEntity ErasureRow(string partitionKey, ErasureRecord record) =>
        new(partitionKey, Erasure(record.MemberId)) { ["Record"] = JsonSerializer.Serialize(record, StrictJson.Options) };

    public static ErasureRecord ReadErasure(TableEntity row) =>
        JsonSerializer.Deserialize<ErasureRecord>(row.Required("Record"), StrictJson.Options)
        ?? throw new InvalidOperationException($"Row {row.PartitionKey}/{row.RowKey} holds no erasure record.");
}
