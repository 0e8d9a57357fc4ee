using System.Security.Cryptography;
using ControlPlane.Contracts.Security;
using ControlPlane.Silo;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace ControlPlane.IntegrationTests;

/// <summary>
/// The real host with security enforced: bearer tokens signed by a local key stand in for the
/// identity provider, and the first principals are bootstrapped from configuration as an operator would.
/// </summary>
public sealed class SecureHostFixture : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cp-secure-" + Guid.NewGuid().ToString("N")[..8]);
    private WebApplication? _app;

    public ECDsa SigningKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    public string Endpoint { get; private set; } = "";

    /// <summary>The signing key as a PEM file, for 'cpctl token mint --key'.</summary>
    public string PrivateKeyFile => Path.Combine(_dir, "token-signing.key");
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
        var grpcPort = Ports.Free();
        var settings = new Dictionary<string, string?>
        {
            ["ControlPlane:Silo:GrpcListen"] = $"127.0.0.1:{grpcPort}",
            ["ControlPlane:Silo:HealthListen"] = $"127.0.0.1:{Ports.Free()}",
            ["ControlPlane:Silo:SiloPort"] = Ports.Free().ToString(),
            ["ControlPlane:Silo:OrleansGatewayPort"] = Ports.Free().ToString(),
            ["ControlPlane:Agents:Latency"] = "00:00:00.005",
            ["ControlPlane:Security:Mode"] = "enforced",
            ["ControlPlane:Security:Jwt:SigningKeyFile"] = publicKey,
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
        _app = ControlPlaneHost.Build([], builder => builder.Configuration.AddInMemoryCollection(settings));
        await _app.StartAsync();
        Endpoint = $"http://127.0.0.1:{grpcPort}";
        Channel = GrpcChannel.ForAddress(Endpoint);
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

    public CallInvoker As(string subject, string location = "FR", bool mfa = true) => WithToken(Token(subject, location, mfa));

    public async Task DisposeAsync()
    {
        Channel?.Dispose();
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
