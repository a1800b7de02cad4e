namespace Loyalty.Bench.Infra;

/// <summary>
/// The system clock, standing at another instant: the product's services read the time only through a
/// <see cref="TimeProvider"/>, so a scenario can run them on the day its members were generated for (whatever day the
/// benchmark runs on), and make a scheduled run due by moving the clock on instead of waiting for it. It keeps ticking
/// with the system clock, so durations and timestamps stay real.
/// </summary>
public sealed class ShiftedClock(DateTimeOffset start) : TimeProvider
{
    private long offsetTicks = (start - System.GetUtcNow()).Ticks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);
}
