namespace Loyalty.Core.StampCards;

/// <summary>A member's progress on one card: stamps toward the next reward and rewards earned so far.</summary>
public sealed record StampCardProgress(string CardId, int Stamps, int Completed);
