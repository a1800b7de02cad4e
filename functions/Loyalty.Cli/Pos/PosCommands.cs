using System.CommandLine;
using System.Numerics;

namespace Loyalty.Cli.Pos;

/// <summary><c>loyalty pos simulate</c> and <c>loyalty pos send</c>: till traffic on the receipts queue, as a POS integration sends it.</summary>
internal static class PosCommands
{
    public static Command Create(Func<ParseResult, IServiceProvider> backend) =>
        new("pos", "Point-of-sale traffic on the receipts queue.") { SimulateCommand.Create(backend), SendCommand.Create(backend) };

    public static Option<T> AtLeast<T>(this Option<T> option, T min) where T : INumber<T>
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<T>() < min) result.AddError($"{option.Name} must be at least {min}.");
        });
        return option;
    }

    public static Option<T> Between<T>(this Option<T> option, T min, T max) where T : INumber<T>
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<T>() is var value && (value < min || value > max)) result.AddError($"{option.Name} must be between {min} and {max}.");
        });
        return option;
    }
}
