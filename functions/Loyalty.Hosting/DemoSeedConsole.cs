using Loyalty.Core.Application.Demo;

namespace Loyalty.Hosting;

/// <summary>
/// A demo seeding's progress on the console: where a resumed seeding starts, then every 500 members and the last.
/// Reported synchronously from the enrolling threads, so the lines come in order and before the seeding returns.
/// </summary>
public sealed class DemoSeedConsole(string prefix) : IProgress<DemoSeedProgress>
{
    private const int Every = 500;
    private readonly Lock gate = new();
    private int printed;

    public void Report(DemoSeedProgress value)
    {
        lock (gate)
        {
            if (value.Members == value.Found)
                Console.WriteLine($"{prefix}resuming: {value.Found:N0} of {value.Requested:N0} members already there");
            else if (value.Members < printed + Every && value.Members != value.Requested)
                return;
            else
                Console.WriteLine($"{prefix}{value.Members:N0}/{value.Requested:N0} members enrolled");
            printed = value.Members;
        }
    }
}
