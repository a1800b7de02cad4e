using Xunit;

namespace Loyalty.Functions.Tests.Infra;

/// <summary>infra/ compiles to ARM JSON and lints clean: a warning fails as an error does.</summary>
public sealed class BicepTests
{
    [Fact]
    public void Main_bicep_compiles_without_a_diagnostic()
    {
        var build = Bicep.Build;
        Assert.True(build.ExitCode == 0 && build.Errors.Trim().Length == 0, $"bicep build infra/main.bicep (exit code {build.ExitCode}):\n{build.Errors}");
        Assert.NotEmpty(Bicep.Main.Resources("Microsoft.Resources/deployments"));
    }

    [Fact]
    public void Main_bicep_and_its_modules_lint_clean()
    {
        var lint = Bicep.Lint;
        Assert.True(lint.ExitCode == 0, $"bicep lint infra/main.bicep failed (exit code {lint.ExitCode}):\n{lint.Errors}");
        var findings = Bicep.LintFindings();
        Assert.True(findings.Count == 0, $"bicep lint infra/main.bicep:\n{string.Join('\n', findings)}");
    }
}
