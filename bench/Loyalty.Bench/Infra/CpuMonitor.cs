using System.Diagnostics;
using System.Globalization;

namespace Loyalty.Bench.Infra;

/// <summary>
/// CPU used during a measurement, in cores (1.0 = one core busy all the time): by Azurite, by the local host, by this
/// benchmark, and by everything else on the machine (other builds and tests on a shared build machine). The last one is
/// the noise indicator: a number measured while "other" was high is a number about a busy machine.
/// </summary>
public sealed record CpuUse(double Azurite, double Host, double Bench, double Other, double MachineCores)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"azurite {Azurite:0.00}, host {Host:0.00}, bench {Bench:0.00}, other {Other:0.00} of {MachineCores:0} cores");
}

public sealed class CpuMonitor
{
    private readonly Func<IReadOnlyList<int>> azurite;
    private readonly Func<int?> host;

    /// <param name="azurite">Azurite's processes (one, or one per service), summed.</param>
    public CpuMonitor(Func<IReadOnlyList<int>> azurite, Func<int?> host)
    {
        this.azurite = azurite;
        this.host = host;
    }

    public Sample Start() => new(this, Read());

    private Reading Read() => new(
        Stopwatch.GetTimestamp(),
        azurite().Sum(pid => ProcessSeconds(pid)),
        ProcessSeconds(host()),
        Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds,
        MachineBusySeconds());

    private static double ProcessSeconds(int? pid)
    {
        if (pid is not { } id) return 0;
        try
        {
            using var process = Process.GetProcessById(id);
            return process.TotalProcessorTime.TotalSeconds;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return 0;
        }
    }

    /// <summary>Busy CPU seconds of the whole machine since boot (Linux /proc/stat; 0 elsewhere).</summary>
    private static double MachineBusySeconds()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").First();
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var total = fields.Take(8).Sum();
            var idle = fields[3] + fields[4];
            return (total - idle) / 100.0; // USER_HZ is 100 on Linux.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }

    internal readonly record struct Reading(long Timestamp, double Azurite, double Host, double Bench, double Machine);

    public sealed class Sample
    {
        private readonly CpuMonitor monitor;
        private readonly Reading start;

        internal Sample(CpuMonitor monitor, Reading start)
        {
            this.monitor = monitor;
            this.start = start;
        }

        public CpuUse Stop()
        {
            var end = monitor.Read();
            var seconds = Stopwatch.GetElapsedTime(start.Timestamp, end.Timestamp).TotalSeconds;
            if (seconds <= 0) return new CpuUse(0, 0, 0, 0, Environment.ProcessorCount);
            var azurite = (end.Azurite - start.Azurite) / seconds;
            var host = (end.Host - start.Host) / seconds;
            var bench = (end.Bench - start.Bench) / seconds;
            var machine = (end.Machine - start.Machine) / seconds;
            return new CpuUse(azurite, host, bench, Math.Max(0, machine - azurite - host - bench), Environment.ProcessorCount);
        }
    }
}
