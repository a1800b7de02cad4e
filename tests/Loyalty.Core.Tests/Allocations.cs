namespace Loyalty.Core.Tests;

/// <summary>
/// Bytes a piece of code allocates on this thread, the least of several runs: the runtime itself may allocate now and
/// then on the way (lazy statics, tiering up a method after its first calls), which is not the code's own cost.
/// </summary>
internal static class Allocations
{
    public static long Least(Action action, int runs = 5)
    {
        var least = long.MaxValue;
        for (var i = 0; i < runs; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            action();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return least;
    }
}
