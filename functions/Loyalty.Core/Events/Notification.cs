namespace Loyalty.Core.Events;

/// <summary>
/// What one operation on a member has to tell the outside world (message <c>loyalty.notification.v1</c>): its events,
/// written to the member's outbox in the operation's own transaction and then sent to the notifications queue.
/// <see cref="Id"/> is the same every time the same operation's notification is sent, so consumers can drop repeats.
/// </summary>
public sealed record Notification(string ProgramId, string MemberId, string OperationId, DateTimeOffset At, IReadOnlyList<DomainEvent> Events)
{
    public const string MessageType = "loyalty.notification.v1";

    public string Type => MessageType;

    public string Id => $"{ProgramId}/{MemberId}/{OperationId}";
}
