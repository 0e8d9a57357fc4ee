using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ControlPlane.Contracts.Security;
using ControlPlane.Silo;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace ControlPlane.IntegrationTests;

/// <summary>
/// The real host with security enforced, over TLS: bearer tokens signed by a local key stand in for the
/// identity provider, client certificates of a CA made here for the operator's (service accounts, as
/// the tooling), and the first principals are bootstrapped from configuration as an operator would.
/// </summary>
public sealed class SecureHostFixture : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cp-secure-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly Dictionary<string, GrpcChannel> _services = [];
    private WebApplication? _app;

    public ECDsa SigningKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    public string Endpoint { get; private set; } = "";
    /// <summary>The health port (plaintext HTTP/1.1): health, metrics and the cluster view.</summary>
    public string HealthEndpoint { get; private set; } = "";

    /// <summary>The signing key as a PEM file, for 'cpctl token mint --key'.</summary>
    public string PrivateKeyFile => Path.Combine(_dir, "token-signing.key");
    /// <summary>The operator's CA (PEM) the gateway's certificate chains to, for 'cpctl --ca-cert'.</summary>
    public string CaFile => Path.Combine(_dir, "ca.pem");

    /// <summary>TLS to the gateway, trusting the test CA only; no credentials of its own.</summary>
    public GrpcChannel Channel { get; private set; } = null!;

    /// <summary>Bootstrapped principals: (id, kind, employer, ops centre, roles).</summary>
    public static readonly (string Id, string Kind, string Employer, string Centre, string[] Roles)[] Principals =
    [
        ("so-1", "person", "operator", "idf", ["security-officer@platform"]),
        ("so-2", "person", "operator", "rennes", ["security-officer@platform"]),
        ("svc:tooling", "service", "operator", "", ["tooling@platform"]),
        ("op-idf-1", "person", "operator", "idf", ["operator@platform"]),
        ("op-idf-2", "person", "operator", "idf", ["operator@region:france-centre"]),
        ("op-rennes", "person", "operator", "rennes", ["operator@platform"]),
        ("vendor-1", "person", "vendor", "idf", ["operator@platform"]),
        ("aud-1", "person", "operator", "", ["auditor@platform"]),
        ("nobody", "person", "operator", "", []),
    ];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        var publicKey = Path.Combine(_dir, "token-signing.pub.pem");
        await File.WriteAllTextAsync(publicKey, SigningKey.ExportSubjectPublicKeyInfoPem());
        await File.WriteAllTextAsync(PrivateKeyFile, SigningKey.ExportPkcs8PrivateKeyPem());
        IssueCertificates();
        var settings = new Dictionary<string, string?>
        {
            ["ControlPlane:Agents:Latency"] = "00:00:00.005",
            ["ControlPlane:Security:Mode"] = "enforced",
            ["ControlPlane:Security:Jwt:SigningKeyFile"] = publicKey,
            ["ControlPlane:Security:Tls:CertificateFile"] = Path.Combine(_dir, "silo.pem"),
            ["ControlPlane:Security:Tls:KeyFile"] = Path.Combine(_dir, "silo.key"),
            ["ControlPlane:Security:Tls:CaFile"] = CaFile,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        for (var i = 0; i < Principals.Length; i++)
        {
            var p = Principals[i];
            settings[$"ControlPlane:Security:Bootstrap:{i}:Id"] = p.Id;
            settings[$"ControlPlane:Security:Bootstrap:{i}:Kind"] = p.Kind;
            settings[$"ControlPlane:Security:Bootstrap:{i}:Employer"] = p.Employer;
            settings[$"ControlPlane:Security:Bootstrap:{i}:OpsCentre"] = p.Centre;
            for (var r = 0; r < p.Roles.Length; r++) settings[$"ControlPlane:Security:Bootstrap:{i}:Roles:{r}"] = p.Roles[r];
        }
        var grpcPort = 0;
        _app = await Ports.StartAsync(() =>
        {
            grpcPort = Ports.Free();
            HealthEndpoint = $"http://127.0.0.1:{Ports.Free()}";
            settings["ControlPlane:Silo:GrpcListen"] = $"127.0.0.1:{grpcPort}";
            settings["ControlPlane:Silo:HealthListen"] = HealthEndpoint["http://".Length..];
            settings["ControlPlane:Silo:SiloPort"] = Ports.Free().ToString();
            settings["ControlPlane:Silo:OrleansGatewayPort"] = Ports.Free().ToString();
            return ControlPlaneHost.Build([], builder => builder.Configuration.AddInMemoryCollection(settings));
        });
        Endpoint = $"https://127.0.0.1:{grpcPort}";
        Channel = Channels.Create(Endpoint, CaFile);
        // The bootstrap runs once the host has started: wait for it through the API.
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                await new Contracts.V1.Access.AccessClient(As("so-1")).WhoAmIAsync(new Contracts.V1.WhoAmIRequest());
                return (true, "");
            }
            catch (RpcException e)
            {
                return (false, e.Status.Detail);
            }
        }, TimeSpan.FromSeconds(30));
    }

    public string Token(string subject, string location = "FR", bool mfa = true, TimeSpan? lifetime = null) =>
        LocalTokens.Mint(SigningKey, new TokenClaims(subject, location, mfa, lifetime ?? TimeSpan.FromMinutes(10)), DateTimeOffset.UtcNow);

    /// <summary>A call invoker that presents <paramref name="token"/> on every call.</summary>
    public CallInvoker WithToken(string token) =>
        Channel.Intercept(metadata =>
        {
            metadata.Add("authorization", $"Bearer {token}");
            return metadata;
        });

    /// <summary>
    /// Calls as <paramref name="subject"/>: a person with a token (<paramref name="location"/>, <paramref name="mfa"/>);
    /// a service account ("svc:CN") with its client certificate, the only credential the gateway accepts for it.
    /// </summary>
    public CallInvoker As(string subject, string location = "FR", bool mfa = true) =>
        subject.StartsWith(ServicePrefix, StringComparison.Ordinal) ? Service(subject[ServicePrefix.Length..]).CreateCallInvoker()
            : WithToken(Token(subject, location, mfa));

    private const string ServicePrefix = "svc:";

    /// <summary>A channel presenting a client certificate of the test CA with common name <paramref name="name"/> (principal "svc:" + name).</summary>
    public GrpcChannel Service(string name)
    {
        lock (_services)
        {
            if (_services.TryGetValue(name, out var channel)) return channel;
            var (certificate, key) = ServiceCertificate(name);
            return _services[name] = Channels.Create(Endpoint, CaFile, certificate, key);
        }
    }

    /// <summary>The PEM files of a client certificate of the test CA with common name <paramref name="name"/> (principal "svc:" + name), issued once.</summary>
    public (string Certificate, string Key) ServiceCertificate(string name)
    {
        lock (_services)
        {
            var (certificate, key) = (Path.Combine(_dir, $"svc-{name}.pem"), Path.Combine(_dir, $"svc-{name}.key"));
            if (!File.Exists(certificate)) Issue($"CN={name}", certificate, key, clientAuth: true, serverName: null);
            return (certificate, key);
        }
    }

    /// <summary>The test CA, and the host's certificate for 127.0.0.1 signed by it.</summary>
    private void IssueCertificates()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("O=ControlPlane test, CN=Operator CA", caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(CaFile, _ca.ExportCertificatePem());
        Issue("CN=127.0.0.1", Path.Combine(_dir, "silo.pem"), Path.Combine(_dir, "silo.key"), clientAuth: false, serverName: IPAddress.Loopback);
    }

    private X509Certificate2? _ca;

    private void Issue(string subject, string certificateFile, string keyFile, bool clientAuth, IPAddress? serverName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"O=ControlPlane test, {subject}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new System.Security.Cryptography.Oid(clientAuth ? "1.3.6.1.5.5.7.3.2" : "1.3.6.1.5.5.7.3.1")], false));
        if (serverName is not null)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(serverName);
            request.CertificateExtensions.Add(names.Build());
        }
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca!, true, false));
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7f;
        using var certificate = request.Create(_ca!, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), serial);
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
    }

    public async Task DisposeAsync()
    {
        Channel?.Dispose();
        foreach (var channel in _services.Values) channel.Dispose();
        _ca?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        SigningKey.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class SecureHostCollection : ICollectionFixture<SecureHostFixture>
{
    public const string Name = "secure-host";
}
