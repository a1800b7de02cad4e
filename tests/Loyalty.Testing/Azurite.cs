using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Loyalty.Storage.Accounts;

namespace Loyalty.Testing;

/// <summary>
/// The Azurite every test in this process shares, found or started on first use:
/// (1) the connection string in LOYALTY_TEST_STORAGE (CI starts Azurite itself);
/// (2) otherwise a private Azurite from the repository's node_modules on free ports, with its data in a
/// fresh temporary folder (disk mode, because in-memory mode was measured stalling for seconds after
/// thousands of queue deletes), stopped and deleted when the test process exits.
/// Never the Azurite of a running <c>./run</c> on the default ports: test tables would pile up in its data folder,
/// and Azurite (which rewrites its whole table file as it persists) would slow down for the developer's system.
/// </summary>
public static class Azurite
{
    public const string EnvironmentVariable = "LOYALTY_TEST_STORAGE";

    // The well-known Azurite/Storage Emulator account and key; public, documented by Microsoft.
    private const string DevelopmentAccountName = "devstoreaccount1";
    private const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly Lazy<(string ConnectionString, StorageAccount Account)> Instance = new(Resolve, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string ConnectionString => Instance.Value.ConnectionString;

    public static StorageAccount Account => Instance.Value.Account;

    private static (string, StorageAccount) Resolve()
    {
        var connectionString = Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured
            ? WaitUntilReady(configured, $"the Azurite named by {EnvironmentVariable}", null)
            : StartPrivateAzurite();
        return (connectionString, StorageAccount.FromConnectionString(connectionString));
    }

    private static string StartPrivateAzurite()
    {
        var root = FindRepositoryRoot();
        var executable = Path.Combine(root, "node_modules", ".bin", OperatingSystem.IsWindows() ? "azurite.cmd" : "azurite");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Azurite is not installed ({executable} is missing): run `npm ci` in the repository root ({root}).");
        }

        var folder = Directory.CreateTempSubdirectory("loyalty-azurite-").FullName;
        var data = Directory.CreateDirectory(Path.Combine(folder, "data")).FullName;
        var logPath = Path.Combine(folder, "azurite.log");
        var (blob, queue, table) = (FreePort(), FreePort(), FreePort());

        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry", "--location", data,
                     "--blobHost", "127.0.0.1", "--blobPort", $"{blob}",
                     "--queueHost", "127.0.0.1", "--queuePort", $"{queue}",
                     "--tableHost", "127.0.0.1", "--tablePort", $"{table}",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var command = $"{executable} {string.Join(' ', start.ArgumentList)}";
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start `{command}`.");
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(process, log, folder);

        var key = DevelopmentAccountKey;
        var account = DevelopmentAccountName;
        var connectionString =
            $"DefaultEndpointsProtocol=http;AccountName={account};AccountKey={key};" +
            $"BlobEndpoint=http://127.0.0.1:{blob}/{account};QueueEndpoint=http://127.0.0.1:{queue}/{account};TableEndpoint=http://127.0.0.1:{table}/{account}";
        return WaitUntilReady(connectionString, $"`{command}`", process, logPath);
    }

    private static string WaitUntilReady(string connectionString, string what, Process? process, string? logPath = null)
    {
        var deadline = Stopwatch.StartNew();
        while (!AnswersNow(connectionString))
        {
            if (process is { HasExited: true })
            {
                throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} before answering: {what}.{LogTail(logPath)}");
            }

            if (deadline.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"Azurite did not answer on all three services within {StartTimeout.TotalSeconds:0} s: {what}.{LogTail(logPath)}");
            }

            Thread.Sleep(200);
        }

        return connectionString;
    }

    private static bool AnswersNow(string connectionString) =>
        // ConfigureAwait(false): the caller blocks, possibly on xunit's few-thread context.
        StorageAccount.FromConnectionString(connectionString, options =>
            {
                options.Retry.MaxRetries = 0;
                options.Retry.NetworkTimeout = TimeSpan.FromSeconds(2);
            })
            .AnswersAsync().ConfigureAwait(false).GetAwaiter().GetResult();

    private static string LogTail(string? logPath)
    {
        if (logPath is null)
        {
            return string.Empty;
        }

        using var reader = new StreamReader(new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        var text = reader.ReadToEnd();
        return $" Log {logPath}:{Environment.NewLine}{text[Math.Max(0, text.Length - 4000)..]}";
    }

    /// <summary>The checkout the tests run from: where node_modules and the repository's scripts are.</summary>
    public static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "package.json")) && File.Exists(Path.Combine(folder.FullName, "Loyalty.Functions.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No repository root (a folder with package.json and Loyalty.Functions.sln) above {AppContext.BaseDirectory}; set {EnvironmentVariable} to a " +
                "running Azurite's connection string.");
    }

    // Bind port 0 so the OS picks a free port; the tiny window before Azurite binds it is acceptable for tests.
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Append(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }

    private static void Stop(Process process, StreamWriter log, string folder)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(5));
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        lock (log)
        {
            log.Dispose();
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open on Windows; the OS cleans its temp folder eventually.
        }
    }
}
