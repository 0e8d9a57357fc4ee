using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Connections.Security;
using Orleans.Hosting;
using Orleans.Runtime;

namespace ControlPlane.Cluster.Tests;

/// <summary>Knocking on a silo's Orleans ports (silo-to-silo, client gateway) from outside, with a chosen client certificate.</summary>
public static class OrleansPorts
{
    /// <summary>A certificate with its key from PEM files, re-imported as TLS on Linux needs it.</summary>
    public static X509Certificate2 Load(string pem, string key)
    {
        using var loaded = X509Certificate2.CreateFromPemFile(pem, key);
        return X509CertificateLoader.LoadPkcs12(loaded.Export(X509ContentType.Pkcs12), null);
    }

    public static bool IssuedBy(X509Certificate? certificate, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return certificate is X509Certificate2 server && chain.Build(server);
    }

    /// <summary>
    /// Whether the port completes a TLS handshake with <paramref name="clientCertificate"/> and keeps the connection: with TLS 1.3
    /// the server judges the client certificate after the client's side of the handshake, and a refused one closes the connection.
    /// </summary>
    public static async Task<bool> HandshakeAsync(int port, X509Certificate2? clientCertificate, X509Certificate2 ca)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                RemoteCertificateValidationCallback = (_, certificate, _, _) => IssuedBy(certificate, ca),
            });
            var buffer = new byte[1];
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            try
            {
                return await tls.ReadAsync(buffer, wait.Token) != 0;
            }
            catch (OperationCanceledException)
            {
                return true;
            }
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// Connects an Orleans client over TLS with <paramref name="certificate"/> to the Orleans gateway at <paramref name="port"/> and calls
    /// the management grain, as a process holding that certificate could: the silos it reports active. Throws when the cluster refuses:
    /// with TLS 1.3 the client's side of the handshake completes and the silo then closes every connection, so the client never
    /// gets the cluster's manifest and its start runs out of <paramref name="within"/>.
    /// </summary>
    public static Task<int> ActiveSilosAsync(int port, X509Certificate2 certificate, X509Certificate2 ca, TimeSpan within) =>
        AsClientAsync(port, certificate, ca, within, async client => (await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count);

    /// <summary>
    /// Runs <paramref name="call"/> with an Orleans client connected over TLS with <paramref name="certificate"/> to the Orleans gateway
    /// at <paramref name="port"/>, as any process holding that certificate could: nothing in its request context but what the call puts there.
    /// </summary>
    public static async Task<T> AsClientAsync<T>(int port, X509Certificate2 certificate, X509Certificate2 ca, TimeSpan within, Func<IClusterClient, Task<T>> call)
    {
        using var host = new HostBuilder()
            .UseOrleansClient(client => client
                .UseStaticClustering(new IPEndPoint(IPAddress.Loopback, port))
                .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (LocalCluster.ClusterId, LocalCluster.ClusterId))
                .UseTls(certificate, tls =>
                {
                    tls.OnAuthenticateAsClient = (_, options) => options.TargetHost = "localhost";
                    tls.RemoteCertificateValidation = (server, _, _) => IssuedBy(server, ca);
                }))
            .Build();
        using var timeout = new CancellationTokenSource(within);
        var phase = "connect";
        try
        {
            await host.StartAsync(timeout.Token);
            phase = "call";
            return await call(host.Services.GetRequiredService<IClusterClient>()).WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"the Orleans client could not {phase} within {within.TotalSeconds} s", e);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}
