using System.Diagnostics;
using Loyalty.HostProcess;
using Loyalty.Storage.Accounts;

namespace Loyalty.Bench.Infra;

public enum AzuriteMode
{
    /// <summary>Data in a fresh temporary folder (<c>--location</c>), deleted at the end.</summary>
    Disk,

    /// <summary><c>--inMemoryPersistence</c>.</summary>
    Memory,
}

/// <summary>
/// The Azurite a run measures: either one given by connection string, or a private one started from the repository's
/// node_modules on free loopback ports (so a run never shares it with tests or ./run), stopped when the run ends.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Azurite's published development key (the same for every Azurite; not a secret).</summary>
    private const string WellKnownKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process? process;
    private readonly string? folder;

    private AzuriteServer(string connectionString, string description, Process? process, string? folder)
    {
        ConnectionString = connectionString;
        Description = description;
        this.process = process;
        this.folder = folder;
    }

    public string ConnectionString { get; }

    /// <summary>What it is, for the report: version and mode, or "given by --azurite".</summary>
    public string Description { get; }

    /// <summary>The Azurite process when this run started it (for CPU accounting); null for a given one.</summary>
    public int? ProcessId => process?.Id;

    /// <summary>
    /// The private Azurite's resident memory now and at its peak, in bytes (Linux /proc); null for a given one. Azurite
    /// keeps every entity in its Node heap, so this tells how large a load the machine can hold.
    /// </summary>
    public (long Resident, long Peak)? Memory()
    {
        if (process is null || !File.Exists($"/proc/{process.Id}/status")) return null;
        long Kib(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
            System.Globalization.CultureInfo.InvariantCulture) * 1024;
        var lines = File.ReadAllLines($"/proc/{process.Id}/status");
        return (Kib(lines.First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))),
            Kib(lines.First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))));
    }

    public static async Task<AzuriteServer> ConnectAsync(string connectionString)
    {
        await WaitUntilReadyAsync(connectionString, "the Azurite given by --azurite", null, null);
        return new AzuriteServer(connectionString, "given by --azurite (version and mode not known to the benchmark)", null, null);
    }

    public static async Task<AzuriteServer> StartAsync(AzuriteMode mode)
    {
        var root = Repository.Root();
        var executable = Path.Combine(root, "node_modules", ".bin", OperatingSystem.IsWindows() ? "azurite.cmd" : "azurite");
        if (!File.Exists(executable))
            throw new InvalidOperationException($"Azurite is not installed ({executable} is missing): run `npm ci` in {root}, or pass " +
                "--azurite <connection string>.");

        var folder = Directory.CreateTempSubdirectory("loyalty-bench-azurite-").FullName;
        var (blob, queue, table) = (LocalHostProcess.FreeLoopbackPort(), LocalHostProcess.FreeLoopbackPort(), LocalHostProcess.FreeLoopbackPort());
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var arguments = new List<string> { "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry" };
        if (mode == AzuriteMode.Memory)
        {
            arguments.Add("--inMemoryPersistence");
        }
        else
        {
            arguments.AddRange(["--location", Directory.CreateDirectory(Path.Combine(folder, "data")).FullName]);
        }

        arguments.AddRange([
            "--blobHost", "127.0.0.1", "--blobPort", $"{blob}",
            "--queueHost", "127.0.0.1", "--queuePort", $"{queue}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{table}",
        ]);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);

        var logPath = Path.Combine(folder, "azurite.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        const string account = "devstoreaccount1";
        var connectionString =
            $"DefaultEndpointsProtocol=http;AccountName={account};AccountKey={WellKnownKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blob}/{account};QueueEndpoint=http://127.0.0.1:{queue}/{account};TableEndpoint=http://127.0.0.1:{table}/{account}";
        var server = new AzuriteServer(connectionString,
            $"Azurite {Version(root)}, {(mode == AzuriteMode.Memory ? "in-memory (--inMemoryPersistence)" : "disk mode (--location, a fresh temp folder)")}",
            process, folder);
        try
        {
            await WaitUntilReadyAsync(connectionString, $"{executable} {string.Join(' ', arguments)}", process, logPath);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (process is not null)
        {
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            }
            catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
            {
                // Gone already, or it will be reaped with us.
            }

            process.Dispose();
        }

        if (folder is not null)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // The OS cleans its temp folder eventually.
            }
        }
    }

    private static async Task WaitUntilReadyAsync(string connectionString, string what, Process? process, string? logPath)
    {
        var deadline = Stopwatch.StartNew();
        while (!await AnswersAsync(connectionString))
        {
            if (process is { HasExited: true })
                throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} before answering: {what}.{Tail(logPath)}");
            if (deadline.Elapsed > StartTimeout)
                throw new TimeoutException($"Azurite did not answer within {StartTimeout.TotalSeconds:0} s: {what}.{Tail(logPath)}");
            await Task.Delay(200);
        }
    }

    private static Task<bool> AnswersAsync(string connectionString) =>
        StorageAccount.FromConnectionString(connectionString, options =>
            {
                options.Retry.MaxRetries = 0;
                options.Retry.NetworkTimeout = TimeSpan.FromSeconds(2);
            })
            .AnswersAsync();

    private static string Version(string root)
    {
        try
        {
            var json = File.ReadAllText(Path.Combine(root, "node_modules", "azurite", "package.json"));
            using var document = System.Text.Json.JsonDocument.Parse(json);
            return document.RootElement.GetProperty("version").GetString() ?? "?";
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or KeyNotFoundException)
        {
            return "(version unknown)";
        }
    }

    private static string Tail(string? logPath)
    {
        if (logPath is null) return "";
        using var reader = new StreamReader(new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        var text = reader.ReadToEnd();
        return $" Log {logPath}:{Environment.NewLine}{text[Math.Max(0, text.Length - 4000)..]}";
    }

    private static void Append(StreamWriter log, string? line)
    {
        if (line is null) return;
        lock (log) log.WriteLine(line);
    }
}
