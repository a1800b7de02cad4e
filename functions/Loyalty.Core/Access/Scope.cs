namespace Loyalty.Core.Access;

/// <summary>What an API key may do. A key carries one or more scopes and is bound to one program.</summary>
[Flags]
public enum Scope
{
    None = 0,
    /// <summary>Point of sale and web shop: send receipts, identify members, redeem vouchers.</summary>
    Pos = 1,
    /// <summary>Store staff and customer service: everything <see cref="Pos"/> may, plus contact changes, households, ledgers and parked receipts.</summary>
    Store = 2,
    /// <summary>Segments and campaigns.</summary>
    Marketing = 4,
    /// <summary>Program administration; also allowed everywhere the other scopes are.</summary>
    Admin = 8,
}

public static class Scopes
{
    public static bool Allows(this Scope granted, Scope required) =>
        (granted & Scope.Admin) != 0 || (granted & required) != 0;

    public static bool TryParse(IEnumerable<string> names, out Scope scope, out string? unknown)
    {
        scope = Scope.None;
        unknown = null;
        foreach (var name in names)
        {
            if (!Enum.TryParse<Scope>(name, ignoreCase: true, out var one) || one == Scope.None || !Enum.IsDefined(one))
            {
                unknown = name;
                return false;
            }
            scope |= one;
        }
        return scope != Scope.None;
    }

    public static IEnumerable<string> Names(this Scope scope) =>
        Enum.GetValues<Scope>().Where(s => s != Scope.None && scope.HasFlag(s)).Select(s => s.ToString().ToLowerInvariant());
}
