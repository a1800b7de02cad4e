using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Loyalty.Bench.Infra;

/// <summary>
/// The real local host (Loyalty.Local.dll from this program's build output) as a child process on a real Kestrel socket,
/// configured only through the environment variables an operator would use.
/// </summary>
public sealed class LocalHost : IAsyncDisposable
{
    private const int KeptLines = 200;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private LocalHost(Process process, Uri address)
    {
        this.process = process;
        Address = address;
    }

    public Uri Address { get; }

    public int ProcessId => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>The last lines the host wrote (warnings, worker reports), for failure messages and the report.</summary>
    public IReadOnlyList<string> Output => [.. output];

    /// <param name="settings">Configuration as environment variables (<c>Storage__ConnectionString</c>, …).</param>
    public static async Task<LocalHost> StartAsync(IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var folder = AppContext.BaseDirectory;
        var dll = Path.Combine(folder, "Loyalty.Local.dll");
        if (!File.Exists(dll) || !File.Exists(Path.Combine(folder, "Loyalty.Local.runtimeconfig.json")))
            throw new InvalidOperationException($"Loyalty.Local.dll and its runtimeconfig.json should be in {folder} (the benchmark references Loyalty.Local).");

        var port = LoopbackPorts.Free();
        var address = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address.ToString().TrimEnd('/'));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in settings) start.Environment[name] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName} {dll}.");
        var host = new LocalHost(process, address);
        process.OutputDataReceived += (_, e) => host.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => host.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var probe = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                var lines = string.Join(Environment.NewLine, host.Output);
                await host.DisposeAsync().ConfigureAwait(false);
                throw new InvalidOperationException($"The local host exited with code {process.ExitCode} while starting:{Environment.NewLine}{lines}");
            }

            try
            {
                using var response = await probe.GetAsync("/api/v1/health", cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK) return host;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            if (clock.Elapsed > StartTimeout)
            {
                await host.DisposeAsync().ConfigureAwait(false);
                throw new TimeoutException($"The local host did not answer /api/v1/health within {StartTimeout.TotalSeconds:0} s.{Environment.NewLine}{string.Join(Environment.NewLine, host.Output)}");
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Ends the process at once: the benchmark needs nothing from its shutdown, and every number is taken before.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
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

    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        if (Environment.ProcessPath is { } current && Path.GetFileNameWithoutExtension(current) == "dotnet") return current;
        return "dotnet";
    }
}
