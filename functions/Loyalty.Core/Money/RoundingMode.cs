namespace Loyalty.Core.Money;

/// <summary>How a line's fractional points become whole points. Down is the default: a member never gets a point not fully earned.</summary>
public enum RoundingMode
{
    Down = 0,
    Nearest = 1,
    Up = 2,
}

internal static class Rounding
{
    public static long ToPoints(decimal value, RoundingMode mode) => mode switch
    {
        RoundingMode.Down => (long)decimal.Floor(value),
        RoundingMode.Up => (long)decimal.Ceiling(value),
        _ => (long)decimal.Round(value, MidpointRounding.AwayFromZero),
    };
}
