using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Loyalty.Api.Http;

/// <summary>
/// The client address that rate limits count, by default the connection's: <c>X-Forwarded-For</c> is whatever the
/// client wrote unless a proxy of ours appended to it. Behind such proxies (beyond what the host itself already
/// resolves) set <c>MemberAuth:ForwardedHops</c> to their number: the address that many entries from the right of
/// X-Forwarded-For is then used, which the client cannot forge. IPv6 addresses count per /64, the block one
/// subscriber usually has.
/// </summary>
public sealed class ClientAddresses
{
    public const string HopsKey = "MemberAuth:ForwardedHops";
    private const string Unknown = "unknown";

    private readonly int hops;

    public ClientAddresses(IConfiguration configuration)
    {
        var value = configuration[HopsKey];
        hops = string.IsNullOrEmpty(value) ? 0
            : int.TryParse(value, out var parsed) && parsed is >= 0 and <= 10 ? parsed
            : throw new InvalidOperationException($"{HopsKey} is '{value}'; give the number of proxies of yours that append to X-Forwarded-For (0 to 10).");
    }

    public string Of(HttpContext context)
    {
        if (hops == 0) return Normalize(context.Connection.RemoteIpAddress);
        var entries = context.Request.Headers["X-Forwarded-For"].SelectMany(v => (v ?? "").Split(',')).Select(e => e.Trim()).Where(e => e.Length > 0).ToList();
        return entries.Count < hops ? Unknown : Normalize(Parse(entries[^hops]));
    }

    /// <summary>"203.0.113.7", "203.0.113.7:52311", "2001:db8::1" or "[2001:db8::1]:443".</summary>
    private static IPAddress? Parse(string entry) =>
        IPAddress.TryParse(entry, out var address) ? address : IPEndPoint.TryParse(entry, out var endpoint) ? endpoint.Address : null;

    private static string Normalize(IPAddress? address)
    {
        if (address is null) return Unknown;
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4().ToString();
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
