namespace Loyalty.Storage.Accounts;

internal sealed record ParsedConnectionString(string AccountName, byte[] AccountKey, Uri TableEndpoint, Uri QueueEndpoint, Uri BlobEndpoint);

/// <summary>
/// Parses storage connection strings. Error messages name the offending setting but never echo a value:
/// a malformed connection string usually still contains the account key.
/// </summary>
internal static class ConnectionStringParser
{
    internal const string DevelopmentAccountName = "devstoreaccount1";

    // The well-known Azurite/Storage Emulator key; public, documented by Microsoft.
    internal const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly HashSet<string> KnownSettings = new(StringComparer.OrdinalIgnoreCase)
    {
        "UseDevelopmentStorage", "DefaultEndpointsProtocol", "AccountName", "AccountKey", "EndpointSuffix",
        "TableEndpoint", "QueueEndpoint", "BlobEndpoint", "FileEndpoint", "SharedAccessSignature",
    };

    public static ParsedConnectionString Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var settings = Split(connectionString);

        if (settings.TryGetValue("UseDevelopmentStorage", out var useDevelopment))
        {
            if (!bool.TryParse(useDevelopment, out var enabled) || !enabled)
            {
                throw Invalid("UseDevelopmentStorage must be 'true' when present.");
            }

            if (settings.Count != 1)
            {
                throw Invalid("UseDevelopmentStorage=true cannot be combined with other settings; spell out the endpoints and key instead.");
            }

            return new ParsedConnectionString(
                DevelopmentAccountName,
                Convert.FromBase64String(DevelopmentAccountKey),
                new Uri($"http://127.0.0.1:10002/{DevelopmentAccountName}"),
                new Uri($"http://127.0.0.1:10001/{DevelopmentAccountName}"),
                new Uri($"http://127.0.0.1:10000/{DevelopmentAccountName}"));
        }

        if (settings.ContainsKey("SharedAccessSignature"))
        {
            throw Invalid("SharedAccessSignature connection strings are not supported; use an account key or a TokenCredential.");
        }

        var accountName = Required(settings, "AccountName");
        var key = ParseKey(Required(settings, "AccountKey"));
        var protocol = settings.GetValueOrDefault("DefaultEndpointsProtocol", "https");
        if (protocol is not ("http" or "https"))
        {
            throw Invalid("DefaultEndpointsProtocol must be 'http' or 'https'.");
        }

        var suffix = settings.GetValueOrDefault("EndpointSuffix", "core.windows.net");
        return new ParsedConnectionString(
            accountName,
            key,
            Endpoint(settings, "TableEndpoint", protocol, accountName, "table", suffix),
            Endpoint(settings, "QueueEndpoint", protocol, accountName, "queue", suffix),
            Endpoint(settings, "BlobEndpoint", protocol, accountName, "blob", suffix));
    }

    private static Dictionary<string, string> Split(string connectionString)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var position = 0;
        foreach (var segment in connectionString.Split(';'))
        {
            position++;
            if (string.IsNullOrWhiteSpace(segment))
            {
                continue;
            }

            // Split at the first '=' only: base64 keys end in '='.
            var equals = segment.IndexOf('=');
            if (equals <= 0)
            {
                throw Invalid($"Segment {position} is not of the form Name=Value.");
            }

            var name = segment[..equals].Trim();
            if (!settings.TryAdd(name, segment[(equals + 1)..].Trim()))
            {
                // An unknown "name" may be a fragment of a mangled key, so only known names are echoed.
                throw Invalid(KnownSettings.Contains(name) ? $"Setting '{name}' appears more than once." : $"Segment {position} repeats an earlier setting.");
            }
        }

        if (settings.Count == 0)
        {
            throw Invalid("It is empty.");
        }

        return settings;
    }

    private static string Required(Dictionary<string, string> settings, string name) =>
        settings.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw Invalid($"Setting '{name}' is missing.");

    private static byte[] ParseKey(string key)
    {
        var buffer = new byte[key.Length];
        return Convert.TryFromBase64String(key, buffer, out var written) && written > 0
            ? buffer[..written]
            : throw Invalid("AccountKey is not valid base64.");
    }

    private static Uri Endpoint(Dictionary<string, string> settings, string name, string protocol, string account, string service, string suffix)
    {
        if (!settings.TryGetValue(name, out var explicitEndpoint))
        {
            return new Uri($"{protocol}://{account}.{service}.{suffix}");
        }

        return Uri.TryCreate(explicitEndpoint.TrimEnd('/'), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw Invalid($"{name} is not an absolute http(s) URI.");
    }

    private static FormatException Invalid(string reason) => new($"Invalid storage connection string: {reason}");
}
