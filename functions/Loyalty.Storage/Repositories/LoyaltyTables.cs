namespace Loyalty.Storage.Repositories;

/// <summary>The table names the loyalty stores use; tests and side-by-side environments give each their own.</summary>
public sealed record LoyaltyTables(string Programs = "Programs", string ApiKeys = "ApiKeys", string Members = "Members", string Identities = "Identities")
{
    public static LoyaltyTables Default { get; } = new();

    /// <summary>The default names behind a prefix (letters and digits), e.g. "staging" gives "stagingMembers".</summary>
    public static LoyaltyTables WithPrefix(string prefix) => new($"{prefix}Programs", $"{prefix}ApiKeys", $"{prefix}Members", $"{prefix}Identities");

    public IEnumerable<string> All => [Programs, ApiKeys, Members, Identities];
}
