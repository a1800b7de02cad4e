using System.Globalization;
using Loyalty.Core.Access;
using Loyalty.Core.Application.MemberAuth;
using Microsoft.Extensions.Configuration;

namespace Loyalty.Hosting;

/// <summary>
/// Member verification from configuration. <c>MemberTokens:SigningKey</c> signs member tokens (in Azure a Key Vault
/// reference, infra/main.bicep); <c>MemberTokens:PreviousKeys:0…n</c> still verify during a rotation;
/// <c>MemberTokens:Lifetime</c> (default 00:30:00). <c>MemberAuth:LinkBaseUrl</c> is the page magic links open (none: codes
/// only); <c>MemberAuth:RequestsPerAddressPerHour</c> (default 60); <c>MemberAuth:PagesProgramId</c> the program My pages
/// sign members in to without a key (none: those routes answer 404). Without a signing key a random one is made, which only
/// suits one process on a laptop: <see cref="MemberAuthOptions.EphemeralKeys"/> tells the host to say so.
/// </summary>
public static class MemberAuthSettings
{
    public const string TokensSection = "MemberTokens";
    public const string Section = "MemberAuth";

    private static readonly TimeSpan MinLifetime = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(24);

    public static MemberAuthOptions Options(IConfiguration configuration)
    {
        var tokens = configuration.GetSection(TokensSection);
        var auth = configuration.GetSection(Section);
        var defaults = MemberAuthOptions.Development();
        return defaults with
        {
            Keys = Keys(tokens) ?? defaults.Keys,
            EphemeralKeys = string.IsNullOrWhiteSpace(tokens["SigningKey"]),
            TokenLifetime = tokens["Lifetime"] is { Length: > 0 } lifetime ? Lifetime(lifetime) : defaults.TokenLifetime,
            LinkBaseUrl = auth["LinkBaseUrl"] is { Length: > 0 } link ? LinkBase(link) : null,
            RequestsPerAddress = auth["RequestsPerAddressPerHour"] is { Length: > 0 } limit ? Limit(limit) : defaults.RequestsPerAddress,
        };
    }

    public static MemberPages Pages(IConfiguration configuration) =>
        new(configuration.GetSection(Section)["PagesProgramId"] is { Length: > 0 } programId ? programId.Trim() : null);

    private static MemberTokenKeys? Keys(IConfigurationSection tokens)
    {
        if (tokens["SigningKey"] is not { } current || string.IsNullOrWhiteSpace(current)) return null;
        var previous = tokens.GetSection("PreviousKeys").GetChildren().Select(c => c.Value).OfType<string>().Where(v => v.Length > 0).ToList();
        // App Service leaves a reference it could not resolve as the literal text: signing with that public string would
        // let anyone mint tokens.
        if (previous.Prepend(current).Any(k => k.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase)))
            throw new InvalidOperationException($"{TokensSection}:SigningKey (or a previous key) is a Key Vault reference the platform did not resolve; " +
                "check the app's identity has Key Vault Secrets User on the vault (docs/deploy.md).");
        try
        {
            return new MemberTokenKeys(current, previous);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"{TokensSection}:SigningKey: {e.Message}", e);
        }
    }

    private static TimeSpan Lifetime(string value) =>
        TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var lifetime) && lifetime >= MinLifetime && lifetime <= MaxLifetime
            ? lifetime
            : throw new InvalidOperationException($"{TokensSection}:Lifetime is '{value}'; give a time span from {MinLifetime:c} to " +
                $"{MaxLifetime:c}, e.g. 00:30:00.");

    private static Uri LinkBase(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && uri.Fragment.Length == 0
            ? uri
            : throw new InvalidOperationException($"{Section}:LinkBaseUrl is '{value}'; give the absolute URL of the page that takes ?token=…, e.g. " +
                "https://shop.example.com/login.");

    private static int Limit(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0
            ? limit
            : throw new InvalidOperationException($"{Section}:RequestsPerAddressPerHour is '{value}'; give a whole number above 0.");
}
