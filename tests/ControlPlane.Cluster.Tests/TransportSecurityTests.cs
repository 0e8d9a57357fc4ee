using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ControlPlane.Contracts.Security;
using ControlPlane.Contracts.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit.Abstractions;

namespace ControlPlane.Cluster.Tests;

/// <summary>
/// TLS in the durable cluster: on every gRPC gateway, client certificates of the operator's CA only; on the Orleans ports
/// (silo-to-silo and client gateway), silo certificates of that CA only — not the tooling's, not a person's.
/// </summary>
[Collection(ClusterCollection.Name), Trait("Category", "Cluster")]
public sealed class TransportSecurityTests(LocalCluster cluster, ITestOutputHelper output) : IDisposable
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
        // The client's validity ends a day before the CA's: certificates keep whole seconds, so the same instant plus its
        // fraction of a second would already fall past the CA's end (CertificateRequest.Create refuses that).
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=provisioning", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var cert = request.Create(ca, now.AddDays(-1), now.AddDays(29), [1, 2, 3, 4]);
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

    /// <summary>A person's client certificate of the operator's CA (clientAuth, an e-mail name), issued here with the local CA's key.</summary>
    private X509Certificate2 PersonCertificate()
    {
        using var ca = X509Certificate2.CreateFromPemFile(cluster.Pki("ca.pem"), cluster.Pki("ca.key"));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("O=ControlPlane local, CN=alice", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddEmailAddress("alice@operator.example");
        request.CertificateExtensions.Add(names.Build());
        using var issued = request.Create(ca, ca.NotBefore, DateTimeOffset.UtcNow.AddDays(30), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    [Fact]
    public async Task Orleans_ports_accept_only_silo_certificates_of_the_operators_CA()
    {
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(cluster.Pki("ca.pem")));
        using var silo = OrleansPorts.Load(cluster.Pki("silo2.pem"), cluster.Pki("silo2.key"));
        using var tooling = OrleansPorts.Load(cluster.Pki("provisioning.pem"), cluster.Pki("provisioning.key"));
        var foreign = ForeignCa();
        using var stranger = OrleansPorts.Load(foreign.Cert, foreign.Key);

        foreach (var (port, name) in new[] { (cluster.SiloPort(1), "silo-to-silo"), (cluster.OrleansGatewayPort(1), "Orleans gateway") })
        {
            Assert.True(await OrleansPorts.HandshakeAsync(port, silo, ca), $"{name} port: a silo certificate of the operator's CA is accepted");
            Assert.False(await OrleansPorts.HandshakeAsync(port, tooling, ca), $"{name} port: the tooling's certificate of the operator's CA is refused");
            Assert.False(await OrleansPorts.HandshakeAsync(port, stranger, ca), $"{name} port: a certificate of another CA is refused");
            Assert.False(await OrleansPorts.HandshakeAsync(port, null, ca), $"{name} port: a connection without a certificate is refused");
        }
    }

    [Fact]
    public async Task A_persons_certificate_is_refused_on_the_Orleans_ports_with_one_log_line()
    {
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(cluster.Pki("ca.pem")));
        using var person = PersonCertificate();
        foreach (var port in new[] { cluster.SiloPort(1), cluster.OrleansGatewayPort(1), cluster.SiloPort(1) })
        {
            Assert.False(await OrleansPorts.HandshakeAsync(port, person, ca), $"port {port}: a person's certificate of the operator's CA is refused");
        }
        // The silo says which certificate it refused and why, once however often that peer comes back.
        var thumbprint = person.GetCertHashString(HashAlgorithmName.SHA256);
        int Lines() => cluster.LogLines(1).Count(l => l.Contains(thumbprint, StringComparison.Ordinal));
        Assert.True(await Calls.EventuallyAsync(() => Task.FromResult(Lines() > 0), TimeSpan.FromSeconds(10)), "silo 1 logs the refused certificate");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var line = Assert.Single(cluster.LogLines(1), l => l.Contains(thumbprint, StringComparison.Ordinal));
        output.WriteLine(line);
        Assert.Contains("no silo profile", line);
    }

    [Fact]
    public async Task An_Orleans_client_with_the_toolings_certificate_calls_no_grain_and_one_with_a_silo_certificate_does()
    {
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(cluster.Pki("ca.pem")));
        using var tooling = OrleansPorts.Load(cluster.Pki("provisioning.pem"), cluster.Pki("provisioning.key"));
        var refused = await Record.ExceptionAsync(() => OrleansPorts.ActiveSilosAsync(cluster.OrleansGatewayPort(1), tooling, ca, TimeSpan.FromSeconds(15)));
        output.WriteLine($"Orleans client with provisioning.pem: {refused?.GetType().Name ?? "connected"}: {refused?.Message}");
        Assert.NotNull(refused);
        // It is the silo that refused it, and it said so.
        var thumbprint = tooling.GetCertHashString(HashAlgorithmName.SHA256);
        Assert.Contains(cluster.LogLines(1), l => l.Contains(thumbprint, StringComparison.Ordinal));

        // The same client with a silo certificate gets in: the refusal above is the certificate's, not the client's.
        using var silo = OrleansPorts.Load(cluster.Pki("silo3.pem"), cluster.Pki("silo3.key"));
        Assert.True(await OrleansPorts.ActiveSilosAsync(cluster.OrleansGatewayPort(1), silo, ca, TimeSpan.FromSeconds(60)) > 0);
    }
}
