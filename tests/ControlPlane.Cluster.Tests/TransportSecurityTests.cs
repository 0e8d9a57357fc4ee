using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ControlPlane.Contracts.Security;
using ControlPlane.Contracts.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace ControlPlane.Cluster.Tests;

/// <summary>TLS in the durable cluster: on every gateway, mutual between silos, and client certificates of the operator's CA only.</summary>
[Collection(ClusterCollection.Name), Trait("Category", "Cluster")]
public sealed class TransportSecurityTests(LocalCluster cluster) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cp-foreign-ca-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Reason(RpcException e) => e.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason ?? "";

    /// <summary>A CA that is not the operator's, and a client certificate it issued (PEM files).</summary>
    private (string Ca, string Cert, string Key) ForeignCa()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Someone else's CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=provisioning", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var cert = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), [1, 2, 3, 4]);
        var files = (Path.Combine(_dir, "ca.pem"), Path.Combine(_dir, "client.pem"), Path.Combine(_dir, "client.key"));
        File.WriteAllText(files.Item1, ca.ExportCertificatePem());
        File.WriteAllText(files.Item2, cert.ExportCertificatePem());
        File.WriteAllText(files.Item3, key.ExportPkcs8PrivateKeyPem());
        return files;
    }

    [Fact]
    public async Task Gateways_speak_TLS_only_with_the_operators_certificates()
    {
        var port = new Uri(cluster.Endpoint(1)).Port;
        using var plaintext = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        await Assert.ThrowsAsync<RpcException>(() => new Diagnostics.DiagnosticsClient(plaintext).PingAsync(new PingRequest(), deadline: Calls.Deadline()).ResponseAsync);

        var foreign = ForeignCa();
        // A client that trusts another CA refuses the gateway's certificate.
        using var distrusting = Channels.Create(cluster.Endpoint(1), foreign.Ca);
        var refused = await Assert.ThrowsAsync<RpcException>(() => new Diagnostics.DiagnosticsClient(distrusting).PingAsync(new PingRequest(), deadline: Calls.Deadline()).ResponseAsync);
        Assert.Contains("SSL", refused.Status.Detail);

        // The tooling's certificate of the operator's CA is a principal; one of another CA is not.
        using var tooling = Channels.Create(cluster.Endpoint(2), cluster.Pki("ca.pem"), cluster.Pki("provisioning.pem"), cluster.Pki("provisioning.key"));
        var me = await new Access.AccessClient(tooling).WhoAmIAsync(new WhoAmIRequest(), deadline: Calls.Deadline());
        Assert.Equal(("svc:provisioning", PrincipalKind.Service), (me.Principal.Id, me.Principal.Kind));
        Assert.Equal(Role.Tooling, Assert.Single(me.Roles).Role);
        using var impostor = Channels.Create(cluster.Endpoint(2), cluster.Pki("ca.pem"), foreign.Cert, foreign.Key);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => new Access.AccessClient(impostor).WhoAmIAsync(new WhoAmIRequest(), deadline: Calls.Deadline()).ResponseAsync);
        Assert.Equal((StatusCode.Unauthenticated, "CERTIFICATE_INVALID"), (unknown.StatusCode, Reason(unknown)));
    }

    [Fact]
    public async Task Silos_accept_only_mutual_TLS_with_a_certificate_of_the_operators_CA()
    {
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(cluster.Pki("ca.pem")));
        using var own = X509CertificateLoader.LoadPkcs12(
            X509Certificate2.CreateFromPemFile(cluster.Pki("provisioning.pem"), cluster.Pki("provisioning.key")).Export(X509ContentType.Pkcs12), null);
        var foreign = ForeignCa();
        using var stranger = X509CertificateLoader.LoadPkcs12(X509Certificate2.CreateFromPemFile(foreign.Cert, foreign.Key).Export(X509ContentType.Pkcs12), null);

        Assert.True(await HandshakeAsync(own, ca), "a certificate of the operator's CA is accepted");
        Assert.False(await HandshakeAsync(stranger, ca), "a certificate of another CA is refused");
        Assert.False(await HandshakeAsync(null, ca), "a connection without a certificate is refused");
    }

    /// <summary>Whether silo 1's Orleans port completes a TLS handshake and keeps the connection (a refused client certificate closes it).</summary>
    private async Task<bool> HandshakeAsync(X509Certificate2? clientCertificate, X509Certificate2 ca)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", cluster.SiloPort(1));
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return certificate is X509Certificate2 server && chain.Build(server);
                },
            });
            // With TLS 1.3 the server judges the client certificate after the handshake: a refused one closes the connection.
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
}
