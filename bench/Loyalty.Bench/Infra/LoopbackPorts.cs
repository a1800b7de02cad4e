using System.Net;
using System.Net.Sockets;

namespace Loyalty.Bench.Infra;

internal static class LoopbackPorts
{
    /// <summary>A port nothing listens on right now (the OS picks it), for Azurite's three services and the local host.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
