using ControlPlane.Contracts.Security;
using ControlPlane.Contracts.V1;
using ControlPlane.Faults.Cluster;
using Grpc.Core;
using Grpc.Net.Client;

namespace ControlPlane.Faults.Load;

/// <summary>
/// The campaign's clients of a cluster: one TLS channel per gateway trusting the cluster's CA, with
/// tokens minted from its signing key — the provisioning tooling for the load, the auditor for the
/// audit log — and a plain channel to the agent fleet's controls and agents.
/// </summary>
public sealed class ClusterClients : IDisposable
{
    public const string Tooling = "svc:provisioning";
    public const string Auditor = "auditor-1";

    private readonly GrpcChannel[] _channels;
    private readonly GrpcChannel _fleet;
    private readonly string _toolingToken;
    private readonly string _auditorToken;

    public ClusterClients(ClusterTarget target)
    {
        _channels = [.. target.Endpoints.Select(e => GrpcChannel.ForAddress(e, new GrpcChannelOptions
        {
            HttpHandler = Channels.Handler(new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                ConnectTimeout = TimeSpan.FromSeconds(5),
                KeepAlivePingDelay = TimeSpan.FromSeconds(5),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
            }, target.CaFile),
            DisposeHttpClient = true,
        }))];
        _fleet = GrpcChannel.ForAddress(target.FleetEndpoint);
        using var key = LocalTokens.LoadKey(target.TokenKeyFile);
        _toolingToken = Mint(key, Tooling);
        _auditorToken = Mint(key, Auditor);
    }

    public int Gateways => _channels.Length;

    /// <summary>Calls to gateway <paramref name="gateway"/> (0-based, wrapping) as the provisioning tooling.</summary>
    public CallInvoker Invoker(int gateway) => _channels[Index(gateway)].WithToken(_toolingToken);

    /// <summary>The headers every tooling call carries (its bearer token).</summary>
    public Metadata ToolingHeaders() => new() { { "authorization", $"Bearer {_toolingToken}" } };

    public Provisioning.ProvisioningClient Provisioning(int gateway) => new(Invoker(gateway));
    public Tenants.TenantsClient Tenants(int gateway) => new(Invoker(gateway));
    public Contracts.V1.Topology.TopologyClient Topology(int gateway) => new(Invoker(gateway));
    public Contracts.V1.Audit.AuditClient Audit(int gateway) => new(_channels[Index(gateway)].WithToken(_auditorToken));
    public FleetControl.FleetControlClient Fleet => new(_fleet);
    public Agent.AgentClient Agents => new(_fleet);

    public void Dispose()
    {
        foreach (var channel in _channels) channel.Dispose();
        _fleet.Dispose();
    }

    private int Index(int gateway) => ((gateway % _channels.Length) + _channels.Length) % _channels.Length;

    private static string Mint(System.Security.Cryptography.ECDsa key, string principal) =>
        LocalTokens.Mint(key, new TokenClaims(principal, "FR", true, TimeSpan.FromHours(2)), DateTimeOffset.UtcNow);
}
