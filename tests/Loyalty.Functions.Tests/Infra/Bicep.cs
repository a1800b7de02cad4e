using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Loyalty.Testing;

namespace Loyalty.Functions.Tests.Infra;

/// <summary>
/// infra/main.bicep compiled and linted once per test run by the Bicep CLI this project downloads from NuGet
/// (both at once: each run of the CLI spends seconds unpacking itself).
/// </summary>
public static class Bicep
{
    public sealed record Result(int ExitCode, string Output, string Errors);

    // Off xunit's synchronization context: the properties below block on this task.
    private static readonly Lazy<Task<(Result Build, Result Lint)>> Runs = new(() => Task.Run(async () =>
    {
        var build = RunAsync("build", "infra/main.bicep", "--stdout");
        var lint = RunAsync("lint", "infra/main.bicep", "--diagnostics-format", "sarif");
        return (await build, await lint);
    }));

    private static readonly Lazy<ArmTemplate> Compiled = new(() =>
    {
        var build = Build;
        if (build.ExitCode != 0) throw new Xunit.Sdk.XunitException($"bicep build infra/main.bicep failed:\n{build.Errors}");
        return ArmTemplate.Parse(build.Output, "main");
    });

    public static string Executable { get; } =
        typeof(Bicep).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value!;

    public static Result Build => Runs.Value.GetAwaiter().GetResult().Build;

    public static Result Lint => Runs.Value.GetAwaiter().GetResult().Lint;

    /// <summary>The ARM JSON of infra/main.bicep, as deployed with its parameters' defaults.</summary>
    public static ArmTemplate Main => Compiled.Value;

    /// <summary>Every diagnostic of the lint, at any level (the SARIF results), as "file(line): rule: message".</summary>
    public static IReadOnlyList<string> LintFindings()
    {
        using var sarif = JsonDocument.Parse(Lint.Output);
        return [.. sarif.RootElement.GetProperty("runs").EnumerateArray()
            .SelectMany(run => run.GetProperty("results").EnumerateArray())
            .Select(result =>
            {
                var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
                var file = Path.GetRelativePath(Repo.Root, new Uri(location.GetProperty("artifactLocation").GetProperty("uri").GetString()!).LocalPath);
                return $"{file}({location.GetProperty("region").GetProperty("startLine").GetInt32()}): {result.GetProperty("ruleId").GetString()}: " +
                    $"{result.GetProperty("message").GetProperty("text").GetString()}";
            })];
    }

    private static async Task<Result> RunAsync(params string[] arguments)
    {
        if (!File.Exists(Executable)) throw new Xunit.Sdk.XunitException($"No Bicep CLI at {Executable}: restore tests/Loyalty.Functions.Tests " +
            "(its PackageDownload fetches it).");
        var start = new ProcessStartInfo(Executable) { WorkingDirectory = Repo.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new Result(process.ExitCode, await output, await errors);
    }
}
