namespace Loyalty.Core.Members;

/// <summary>Stamps added to (negative: removed from) a card, its stamps afterwards, and its rewards so far.</summary>
public sealed record StampChange(string CardId, int Added, int Stamps, int Completed);
