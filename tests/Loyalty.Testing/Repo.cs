namespace Loyalty.Testing;

/// <summary>The repository's files, found by walking up from the test assembly to Loyalty.Functions.sln.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Loyalty.Functions.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No Loyalty.Functions.sln above {AppContext.BaseDirectory}.");
    }
}
