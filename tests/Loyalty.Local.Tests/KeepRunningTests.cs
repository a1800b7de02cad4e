using System.Diagnostics;
using Loyalty.Testing;
using Xunit;

namespace Loyalty.Local.Tests;

/// <summary><c>tools/keep-running</c>, which <c>./run</c> starts the local host under, run with stand-in commands.</summary>
public sealed class KeepRunningTests
{
    [Fact]
    public async Task A_command_killed_is_reported_with_its_exit_status_and_started_again_until_it_exits_cleanly()
    {
        // Killed by SIGKILL on its first two starts, then exits 0.
        var (status, errors, starts) = await KeepRunningAsync("[ $(wc -l < \"$0\") -ge 3 ] || kill -9 $$");
        Assert.Equal((0, 3), (status, starts));
        Assert.Equal(2, errors.Split('\n').Count(l => l == "keep-running: the stand-in died (exit status 137, killed by SIGKILL); starting it again."));
    }

    [Fact]
    public async Task A_command_that_dies_on_every_start_is_not_started_a_fourth_time()
    {
        var (status, errors, starts) = await KeepRunningAsync("exit 3");
        Assert.Equal((3, 3), (status, starts));
        Assert.Contains("keep-running: the stand-in died (exit status 3), 3 times in a row within 10 s of starting; not starting it again.", errors);
    }

    /// <param name="script">Run by bash on each start, after a line is added to the file named by <c>$0</c>.</param>
    private static async Task<(int Status, string Errors, int Starts)> KeepRunningAsync(string script)
    {
        var starts = Path.GetTempFileName();
        try
        {
            var start = new ProcessStartInfo("bash") { RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Azurite.FindRepositoryRoot() };
            foreach (var word in new[] { "tools/keep-running", "the stand-in", "bash", "-c", "echo >> \"$0\"; " + script,
                starts }) start.ArgumentList.Add(word);
            using var process = Process.Start(start)!;
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, errors, File.ReadAllLines(starts).Length);
        }
        finally
        {
            File.Delete(starts);
        }
    }
}
