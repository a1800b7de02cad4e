using System.Text.Json;

namespace Loyalty.Local.DevMail;

/// <summary>
/// The last notifications the local stand-in sender drained, unmasked, for a developer to read one-time codes and magic
/// links on a laptop (<see cref="DevMailboxEndpoints"/>). It lives in the local host only, in memory only: the Functions
/// app has no such thing, and nothing of it is stored.
/// </summary>
public sealed class DevMailbox(int capacity)
{
    public const string EnabledKey = "DevMailbox:Enabled";
    public const string SizeKey = "DevMailbox:Size";

    private readonly Queue<DevMail> mails = new();
    private readonly Lock gate = new();

    public int Capacity { get; } = capacity > 0
        ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The dev mailbox holds at least one notification.");

    /// <summary>Keeps one <c>loyalty.notification.v1</c> notification as the sender received it; the oldest goes when full.</summary>
    public void Add(JsonElement notification, DateTimeOffset receivedAt)
    {
        if (notification.ValueKind != JsonValueKind.Object) return;
        var mail = DevMail.From(notification, receivedAt);
        lock (gate)
        {
            if (mails.Count == Capacity) mails.Dequeue();
            mails.Enqueue(mail);
        }
    }

    /// <summary>Newest first.</summary>
    public IReadOnlyList<DevMail> Latest(int take)
    {
        lock (gate)
            return [.. mails.Reverse().Take(take)];
    }
}

/// <param name="Recipient">Where a sender would send it: the phone or e-mail of a one-time code, else the member.</param>
/// <param name="Text">What the member would read, codes and links in clear.</param>
public sealed record DevMail(
    DateTimeOffset ReceivedAt, string NotificationId, string ProgramId, string MemberId, string Recipient, IReadOnlyList<string> Kinds, string Text)
{
    private static readonly HashSet<string> Envelope = ["kind", "id", "programId", "memberId", "on"];

    public static DevMail From(JsonElement notification, DateTimeOffset receivedAt)
    {
        var memberId = Field(notification, "memberId") ?? "?";
        var events = notification.TryGetProperty("events", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).ToList()
            : [];
        var code = events.FirstOrDefault(e => Field(e, "kind") == "member.code");
        return new DevMail(
            receivedAt,
            Field(notification, "id") ?? "?",
            Field(notification, "programId") ?? "?",
            memberId,
            code.ValueKind == JsonValueKind.Object ? $"{Field(code, "channel")}:{Field(code, "destination")}" : $"member:{memberId}",
            [.. events.Select(e => Field(e, "kind") ?? "?")],
            string.Join("\n", events.Select(Describe)));
    }

    private static string Describe(JsonElement @event) => Field(@event, "kind") switch
    {
        "member.code" => $"Your code is {Field(@event, "code")}, valid until {Field(@event, "expiresAt")}." +
                         (Field(@event, "link") is { } link ? $" Or open {link}" : ""),
        "campaign.delivered" => Field(@event, "message") ?? "",
        var kind => $"{kind}: {string.Join(", ", @event.EnumerateObject().Where(p => !Envelope.Contains(p.Name)).Select(p => $"{p.Name} {p.Value}"))}",
    };

    private static string? Field(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? value.ToString() : null;
}
