using System.Text.Json;
using System.Text.Json.Serialization;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Receipts;
using Loyalty.Core.Campaigns;
using Loyalty.Core.Events;
using Loyalty.Core.Ledger;
using Loyalty.Core.Members;
using Loyalty.Core.Programs;
using Loyalty.Core.Segments;

namespace Loyalty.Core.Serialization;

/// <summary>
/// The one JSON shape of domain values, for storage and for the HTTP API alike: camelCase names, enums as camelCase
/// strings, ISO dates, absent values left out (a null is what a missing property reads back as, and writing every
/// null made about a fifth of a member's stored bytes). A program definition stored by the service is byte-for-byte what a client may post.
/// The source-generated context avoids reflection on the hot path (member state is read and written per request).
/// </summary>
public static class LoyaltyJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Info<T>());

    /// <exception cref="JsonException">The text is not a <typeparamref name="T"/>; stored data that does not parse is a bug or corruption.</exception>
    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize(json, Info<T>()) ?? throw new JsonException($"Expected a {typeof(T).Name}, found null.");

    private static System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> Info<T>() =>
        (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            TypeInfoResolver = LoyaltyJsonContext.Default,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly();
        return options;
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProgramDefinition))]
[JsonSerializable(typeof(MemberState))]
[JsonSerializable(typeof(OperationRecord))]
[JsonSerializable(typeof(LedgerEntry[]))]
[JsonSerializable(typeof(ReceiptSummary))]
[JsonSerializable(typeof(Dictionary<ConsentChannel, Consent>))]
[JsonSerializable(typeof(MemberActivity))]
[JsonSerializable(typeof(Notification))]
[JsonSerializable(typeof(NotificationBatch))]
[JsonSerializable(typeof(PosReceipt))]
[JsonSerializable(typeof(ReceiptMessage))]
[JsonSerializable(typeof(Dictionary<string, long>))]
[JsonSerializable(typeof(SegmentDefinition))]
[JsonSerializable(typeof(Campaign))]
[JsonSerializable(typeof(Application.Ports.NamedSegment))]
[JsonSerializable(typeof(Application.Ports.AudienceLine))]
[JsonSerializable(typeof(CampaignStatistics))]
internal sealed partial class LoyaltyJsonContext : JsonSerializerContext;
