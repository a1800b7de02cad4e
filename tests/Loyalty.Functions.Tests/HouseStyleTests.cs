using System.Text.RegularExpressions;
using Loyalty.Testing;
using Xunit;

namespace Loyalty.Functions.Tests;

/// <summary>The rules of .editorconfig and the contributing notes that a compiler does not check, over the whole tree.</summary>
public sealed partial class HouseStyleTests
{
    private static readonly string[] Skipped = ["bin", "obj", "node_modules", ".git", ".azurite", "vendor", "results"];

    [Fact]
    public void No_line_of_CSharp_is_longer_than_the_style_file_allows()
    {
        var limit = int.Parse(MaxLineLength().Match(Repo.Read(".editorconfig")).Groups[1].Value);
        var tooLong = Files("*.cs")
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (file, line, number: i + 1)))
            .Where(l => l.line.Length > limit)
            .Select(l => $"{Path.GetRelativePath(Repo.Root, l.file)}:{l.number} ({l.line.Length})")
            .ToList();
        Assert.True(tooLong.Count == 0, $"Lines over {limit} characters:\n{string.Join('\n', tooLong)}");
    }

    [Fact]
    public void Product_code_does_not_configure_awaits()
    {
        var configured = Files("*.cs")
            .Where(file => !Path.GetRelativePath(Repo.Root, file).StartsWith("tests", StringComparison.Ordinal))
            .Where(file => File.ReadAllText(file).Contains(".ConfigureAwait(", StringComparison.Ordinal))
            .Select(file => Path.GetRelativePath(Repo.Root, file))
            .ToList();
        Assert.True(configured.Count == 0, $"ConfigureAwait in product code (.editorconfig says why not):\n{string.Join('\n', configured)}");
    }

    [Fact]
    public void Code_and_docs_speak_of_the_repository_only()
    {
        var cited = new[] { "*.cs", "*.md", "*.js", "*.mjs", "*.bicep", "*.json", "*.yaml" }
            .SelectMany(Files)
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (file, line, number: i + 1)))
            .Where(l => OutsideCitation().IsMatch(l.line))
            .Select(l => $"{Path.GetRelativePath(Repo.Root, l.file)}:{l.number}: {l.line.Trim()}")
            .ToList();
        Assert.True(cited.Count == 0, $"Citations of issue numbers or of files outside the repository:\n{string.Join('\n', cited)}");
    }

    private static IEnumerable<string> Files(string pattern) =>
        new[] { "functions", "tests", "bench", "tools", "web", "infra", "docs" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Repo.Root, folder), pattern, SearchOption.AllDirectories))
            .Concat(Directory.EnumerateFiles(Repo.Root, pattern))
            .Where(file => !Path.GetRelativePath(Repo.Root, file).Split(Path.DirectorySeparatorChar).Any(Skipped.Contains));

    [GeneratedRegex(@"max_line_length\s*=\s*(\d+)")]
    private static partial Regex MaxLineLength();

    // Split so that this file does not match itself.
    [GeneratedRegex(@"\bissue" + @" #?\d+\b|\.\./shared/(product|ARCHITECTURE)", RegexOptions.IgnoreCase)]
    private static partial Regex OutsideCitation();
}
