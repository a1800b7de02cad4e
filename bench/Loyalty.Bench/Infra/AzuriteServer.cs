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

    /// <summary>
    /// Each service in its own process, as <c>LOYALTY_TABLES_IN_MEMORY=1 ./run</c> starts them: tables in memory (no
    /// whole-database autosave), blobs and queues on disk (in-memory queues stall), and no service waiting on another's
    /// event loop, as none does on Azure.
    /// </summary>
    Split,
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

    private readonly IReadOnlyList<Process> processes;
    private readonly string? folder;

    private AzuriteServer(string connectionString, string description, IReadOnlyList<Process> processes, string? folder)
    {
        ConnectionString = connectionString;
        Description = description;
        this.processes = processes;
        this.folder = folder;
    }

    public string ConnectionString { get; }

    /// <summary>What it is, for the report: version and mode, or "given by --azurite".</summary>
    public string Description { get; }

    /// <summary>The Azurite processes this run started (for CPU accounting); none for a given one.</summary>
    public IReadOnlyList<int> ProcessIds => [.. processes.Select(p => p.Id)];

    /// <summary>
    /// The private Azurite's resident memory now and at its peak, in bytes (Linux /proc), summed over its processes;
    /// null for a given one. Azurite keeps every entity in its Node heap, so this tells how large a load the machine can hold.
    /// </summary>
    public (long Resident, long Peak)? Memory()
    {
        if (processes.Count == 0 || processes.Any(p => !File.Exists($"/proc/{p.Id}/status"))) return null;
        long Kib(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
            System.Globalization.CultureInfo.InvariantCulture) * 1024;
        var status = processes.Select(p => File.ReadAllLines($"/proc/{p.Id}/status")).ToList();
        return (status.Sum(lines => Kib(lines.First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)))),
            status.Sum(lines => Kib(lines.First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)))));
    }

    public static async Task<AzuriteServer> ConnectAsync(string connectionString)
    {
        await WaitUntilReadyAsync(connectionString, "the Azurite given by --azurite", [], [], "");
        return new AzuriteServer(connectionString, "given by --azurite (version and mode not known to the benchmark)", [], null);
    }

    public static async Task<AzuriteServer> StartAsync(AzuriteMode mode)
    {
        var root = Repository.Root();
        string Bin(string name) => Path.Combine(root, "node_modules", ".bin", OperatingSystem.IsWindows() ? $"{name}.cmd" : name);
        if (!File.Exists(Bin("azurite")))
            throw new InvalidOperationException($"Azurite is not installed ({Bin("azurite")} is missing): run `npm ci` in {root}, or pass " +
                "--azurite <connection string>.");

        var folder = Directory.CreateTempSubdirectory("loyalty-bench-azurite-").FullName;
        var (blob, queue, table) = (LocalHostProcess.FreeLoopbackPort(), LocalHostProcess.FreeLoopbackPort(), LocalHostProcess.FreeLoopbackPort());
        string[] common = ["--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry"];
        string[] disk = ["--location", Directory.CreateDirectory(Path.Combine(folder, "data")).FullName];
        string[] blobAt = ["--blobHost", "127.0.0.1", "--blobPort", $"{blob}"];
        string[] queueAt = ["--queueHost", "127.0.0.1", "--queuePort", $"{queue}"];
        string[] tableAt = ["--tableHost", "127.0.0.1", "--tablePort", $"{table}"];
        var services = mode switch
        {
            AzuriteMode.Memory => [new Service("azurite", Bin("azurite"), [.. common, "--inMemoryPersistence", .. blobAt, .. queueAt, .. tableAt])],
            AzuriteMode.Split =>
            [
                new Service("azurite-blob", Bin("azurite-blob"), [.. common, .. disk, .. blobAt]),
                new Service("azurite-queue", Bin("azurite-queue"), [.. common, .. disk, .. queueAt]),
                new Service("azurite-table", Bin("azurite-table"), [.. common, "--inMemoryPersistence", .. tableAt]),
            ],
            _ => new[] { new Service("azurite", Bin("azurite"), [.. common, .. disk, .. blobAt, .. queueAt, .. tableAt]) },
        };

        const string account = "devstoreaccount1";
        var connectionString =
            $"DefaultEndpointsProtocol=http;AccountName={account};AccountKey={WellKnownKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blob}/{account};QueueEndpoint=http://127.0.0.1:{queue}/{account};TableEndpoint=http://127.0.0.1:{table}/{account}";
        var description = mode switch
        {
            AzuriteMode.Memory => "in-memory (--inMemoryPersistence)",
            AzuriteMode.Split => "split: tables in memory, blobs and queues in disk mode, each service its own process",
            _ => "disk mode (--location, a fresh temp folder)",
        };
        var started = new List<Process>();
        var server = new AzuriteServer(connectionString, $"Azurite {Version(root)}, {description}", started, folder);
        try
        {
            foreach (var service in services) started.Add(service.Start(root, folder));
            await WaitUntilReadyAsync(connectionString, string.Join("; ", services), services, started, folder);
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
        foreach (var process in processes)
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

    private static async Task WaitUntilReadyAsync(
        string connectionString, string what, IReadOnlyList<Service> services, IReadOnlyList<Process> processes, string folder)
    {
        var deadline = Stopwatch.StartNew();
        while (!await AnswersAsync(connectionString))
        {
            for (var i = 0; i < processes.Count; i++)
            {
                if (processes[i].HasExited)
                    throw new InvalidOperationException($"{services[i].Name} exited with code {processes[i].ExitCode} before answering: " +
                        $"{services[i]}.{Tail(services[i].LogPath(folder))}");
            }

            if (deadline.Elapsed > StartTimeout)
                throw new TimeoutException($"Azurite did not answer within {StartTimeout.TotalSeconds:0} s: {what}." +
                    string.Concat(services.Select(s => Tail(s.LogPath(folder)))));
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

    private static string Tail(string logPath)
    {
        using var reader = new StreamReader(new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        var text = reader.ReadToEnd();
        return $" Log {logPath}:{Environment.NewLine}{text[Math.Max(0, text.Length - 4000)..]}";
    }

    private static void Append(StreamWriter log, string? line)
    {
        if (line is null) return;
        lock (log) log.WriteLine(line);
    }

    /// <summary>One Azurite process to start: its log goes to <c>{name}.log</c> in the run's folder.</summary>
    private sealed record Service(string Name, string Executable, string[] Arguments)
    {
        /// <summary>Room for the in-memory table store's heap, as ./run gives it; Node's default is a few GiB.</summary>
        private const string TableHeap = "--max-old-space-size=16384";

        public string LogPath(string folder) => Path.Combine(folder, $"{Name}.log");

        public Process Start(string root, string folder)
        {
            var start = new ProcessStartInfo(Executable)
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in Arguments) start.ArgumentList.Add(argument);
            if (Arguments.Contains("--inMemoryPersistence")) start.Environment["NODE_OPTIONS"] = TableHeap;
            var log = new StreamWriter(LogPath(folder)) { AutoFlush = true };
            var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Executable}.");
            process.OutputDataReceived += (_, e) => Append(log, e.Data);
            process.ErrorDataReceived += (_, e) => Append(log, e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return process;
        }

        public override string ToString() => $"{Executable} {string.Join(' ', Arguments)}";
    }
}
