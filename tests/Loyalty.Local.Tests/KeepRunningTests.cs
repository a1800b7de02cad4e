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
        var starts = Path.GetTempFileName();
        try
        {
            // Killed by SIGKILL on its first two starts, then exits 0.
            var (status, errors) = await KeepRunningAsync("echo >> \"$0\"; [ $(wc -l < \"$0\") -ge 3 ] || kill -9 $$", starts);
            Assert.Equal(0, status);
            Assert.Equal(3, File.ReadAllLines(starts).Length);
            Assert.Equal(2, errors.Split('\n').Count(l => l == "keep-running: the stand-in died (exit status 137, killed by SIGKILL); starting it again."));
        }
        finally
        {
            File.Delete(starts);
        }
    }

    [Fact]
    public async Task A_command_that_dies_on_every_start_is_not_started_a_fourth_time()
    {
        var starts = Path.GetTempFileName();
        try
        {
            var (status, errors) = await KeepRunningAsync("echo >> \"$0\"; exit 3", starts);
            Assert.Equal(3, status);
            Assert.Equal(3, File.ReadAllLines(starts).Length);
            Assert.Contains("keep-running: the stand-in died (exit status 3), 3 times in a row within 10 s of starting; not starting it again.", errors);
        }
        finally
        {
            File.Delete(starts);
        }
    }

    private static async Task<(int Status, string Errors)> KeepRunningAsync(string script, string argument)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Azurite.FindRepositoryRoot() };
        foreach (var word in new[] { "tools/keep-running", "the stand-in", "bash", "-c", script, argument }) start.ArgumentList.Add(word);
        using var process = Process.Start(start)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, errors);
    }
}
