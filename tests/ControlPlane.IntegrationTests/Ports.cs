using System.Net;
using System.Net.Sockets;
using ControlPlane.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;

namespace ControlPlane.IntegrationTests;

public static class Ports
{
    /// <summary>A loopback port that was free a moment ago.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Builds (with ports <see cref="Free"/> finds) and starts a host, and builds it again with new ports when one was taken
    /// meanwhile: a port found free is in the ephemeral range, and can become the local port of an outgoing connection (the
    /// silo's own, while it starts) before the host binds it.
    /// </summary>
    public static async Task<WebApplication> StartAsync(Func<WebApplication> build, int attempts = 3)
    {
        for (var attempt = 1; ; attempt++)
        {
            WebApplication? app = null;
            try
            {
                app = build();
                await app.StartAsync();
                return app;
            }
            catch (Exception e) when (attempt < attempts && e is PortsInUseException or IOException { InnerException: AddressInUseException })
            {
                if (app is not null) await StopQuietlyAsync(app);
            }
        }
    }

    private static async Task StopQuietlyAsync(WebApplication app)
    {
        try
        {
            await app.StopAsync();
        }
        catch (Exception)
        {
            // Half started: what it did start goes with the disposal.
        }
        await app.DisposeAsync();
    }
}
