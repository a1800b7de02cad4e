using System.Collections.Concurrent;
using System.Diagnostics;

namespace Loyalty.Local.Tests;

/// <summary>
/// The real local host (Loyalty.Local.dll from this test's build output) as a child process, so it can be killed like a
/// crashed machine: no graceful stop, no finally blocks. Its console output is kept for failure messages.
/// </summary>
internal sealed class LocalHostProcess : IDisposable
{
    private const int KeptLines = 80;

    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private LocalHostProcess(Process process)
    {
        this.process = process;
    }

    public static LocalHostProcess Start(IReadOnlyDictionary<string, string> environment)
    {
        var folder = AppContext.BaseDirectory;
        var dll = Path.Combine(folder, "Loyalty.Local.dll");
        if (!File.Exists(dll) || !File.Exists(Path.Combine(folder, "Loyalty.Local.runtimeconfig.json")))
            throw new InvalidOperationException($"Loyalty.Local.dll and its runtimeconfig.json should be in the test output {folder} (the project references Loyalty.Local).");

        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var (name, value) in environment) start.Environment[name] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName} {dll}.");
        var host = new LocalHostProcess(process);
        process.OutputDataReceived += (_, e) => host.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => host.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    public bool HasExited => process.HasExited;

    /// <summary>The last lines the host wrote, for failure messages.</summary>
    public string Output => $"Local host (pid {process.Id}{(process.HasExited ? $", exited with {process.ExitCode}" : "")}) output:{Environment.NewLine}{string.Join(Environment.NewLine, output)}";

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

    private void Keep(string? line)
    {
        if (line is null) return;
        output.Enqueue(line);
        while (output.Count > KeptLines) output.TryDequeue(out _);
    }

    /// <summary>The dotnet host running these tests (the SDK names it in DOTNET_HOST_PATH), else the one on the PATH.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        if (Environment.ProcessPath is { } current && Path.GetFileNameWithoutExtension(current) == "dotnet") return current;
        return "dotnet";
    }
}
