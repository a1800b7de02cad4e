namespace Loyalty.Bench.Infra;

internal static class Repository
{
    /// <summary>The folder with package.json and Loyalty.Functions.sln, above the working directory or the program.</summary>
    public static string Root()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "package.json")) && File.Exists(Path.Combine(folder.FullName, "Loyalty.Functions.sln")))
                    return folder.FullName;
            }
        }

        throw new InvalidOperationException("No repository root (a folder with package.json and Loyalty.Functions.sln) above the working directory; run from " +
            "the repository or pass --azurite.");
    }

    /// <summary>The checked-out commit, for the report (read from .git, no git process).</summary>
    public static string Commit()
    {
        try
        {
            var git = Path.Combine(Root(), ".git");
            var head = File.ReadAllText(Path.Combine(git, "HEAD")).Trim();
            if (!head.StartsWith("ref: ", StringComparison.Ordinal)) return head[..Math.Min(12, head.Length)];
            var name = head[5..];
            var loose = Path.Combine(git, name);
            if (File.Exists(loose)) return File.ReadAllText(loose).Trim()[..12];
            var packed = Path.Combine(git, "packed-refs");
            if (File.Exists(packed))
            {
                foreach (var line in File.ReadLines(packed))
                {
                    if (line.EndsWith(" " + name, StringComparison.Ordinal)) return line[..12];
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
        }

        return "unknown";
    }
}
