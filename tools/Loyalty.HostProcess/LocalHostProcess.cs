using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Loyalty.HostProcess;

/// <summary>
/// The real local host (Loyalty.Local.dll from the caller's build output) as a child process, configured only through
/// the environment variables an operator would use, and killable like a crashed machine: no graceful stop, no finally
/// blocks. Its last console lines are kept for failure messages and reports.
/// </summary>
public sealed class LocalHostProcess : IDisposable, IAsyncDisposable
{
    private const int KeptLines = 200;

    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private LocalHostProcess(Process process, Uri? address)
    {
        this.process = process;
        Address = address;
    }

    /// <summary>Where it listens, when started by <see cref="StartListeningAsync"/>.</summary>
    public Uri? Address { get; }

    public int ProcessId => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>The last lines the host wrote (warnings, worker reports).</summary>
    public IReadOnlyList<string> Lines => [.. output];

    /// <summary>The last lines with the process they came from, for failure messages.</summary>
    public string Output =>
        $"Local host (pid {process.Id}{(process.HasExited ? $", exited with {process.ExitCode}" : "")}) " +
            $"output:{Environment.NewLine}{string.Join(Environment.NewLine, output)}";

    /// <param name="environment">Configuration as environment variables (<c>Storage__ConnectionString</c>, …).</param>
    public static LocalHostProcess Start(IReadOnlyDictionary<string, string> environment, IEnumerable<string>? arguments = null) =>
        Start(environment, arguments, null);

    /// <summary>
    /// Starts the host on a free loopback port and returns once <c>/api/v1/health</c> answers; a host that exits or
    /// stays silent for <paramref name="timeout"/> is an exception carrying its output.
    /// </summary>
    public static async Task<LocalHostProcess> StartListeningAsync(IReadOnlyDictionary<string, string> environment, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var address = new Uri($"http://127.0.0.1:{FreeLoopbackPort()}");
        var host = Start(environment, ["--urls", address.ToString().TrimEnd('/')], address);
        using var probe = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (host.HasExited)
            {
                var output = host.Output;
                await host.DisposeAsync();
                throw new InvalidOperationException($"The local host exited while starting. {output}");
            }

            try
            {
                using var response = await probe.GetAsync("/api/v1/health", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK) return host;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            if (clock.Elapsed > timeout)
            {
                var output = host.Output;
                await host.DisposeAsync();
                throw new TimeoutException($"The local host did not answer /api/v1/health within {timeout.TotalSeconds:0} s. {output}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>A port nothing listens on right now (the OS picks it).</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Ends the process at once, as a power cut would.</summary>
    public void Kill()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        if (!process.WaitForExit(TimeSpan.FromSeconds(10))) throw new TimeoutException($"The local host did not exit after being killed. {Output}");
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }

        process.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static LocalHostProcess Start(IReadOnlyDictionary<string, string> environment, IEnumerable<string>? arguments, Uri? address)
    {
        var folder = AppContext.BaseDirectory;
        var dll = Path.Combine(folder, "Loyalty.Local.dll");
        if (!File.Exists(dll) || !File.Exists(Path.Combine(folder, "Loyalty.Local.runtimeconfig.json")))
            throw new InvalidOperationException($"Loyalty.Local.dll and its runtimeconfig.json should be in {folder} (reference " +
                "Loyalty.Local next to this library).");

        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments ?? []) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName} {dll}.");
        var host = new LocalHostProcess(process, address);
        process.OutputDataReceived += (_, e) => host.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => host.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        output.Enqueue(line);
        while (output.Count > KeptLines) output.TryDequeue(out _);
    }

    /// <summary>The dotnet host running the caller (the SDK names it in DOTNET_HOST_PATH), else the one on the PATH.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        if (Environment.ProcessPath is { } current && Path.GetFileNameWithoutExtension(current) == "dotnet") return current;
        return "dotnet";
    }
}
