using ControlPlane.Contracts.Security;
using ControlPlane.Contracts.V1;
using ControlPlane.Faults.Cluster;
using Grpc.Core;
using Grpc.Net.Client;

namespace ControlPlane.Faults.Load;

/// <summary>
/// The campaign's clients of a cluster: TLS channels to each gateway trusting the cluster's CA — the
/// provisioning tooling's with its client certificate (pki/provisioning.pem: service accounts never
/// authenticate with tokens), the auditor's with a token minted from the cluster's signing key — and
/// a plain channel to the agent fleet's controls and agents.
/// </summary>
public sealed class ClusterClients : IDisposable
{
    public const string Tooling = "svc:provisioning";
    public const string Auditor = "auditor-1";

    private readonly GrpcChannel[] _channels;
    private readonly GrpcChannel[] _auditorChannels;
    private readonly GrpcChannel _fleet;
    private readonly string _auditorToken;

    public ClusterClients(ClusterTarget target)
    {
        var pki = Path.GetDirectoryName(target.CaFile)!;
        _channels = [.. target.Endpoints.Select(e => Open(e, target.CaFile,
            Path.Combine(pki, "provisioning.pem"), Path.Combine(pki, "provisioning.key")))];
        _auditorChannels = [.. target.Endpoints.Select(e => Open(e, target.CaFile, null, null))];
        _fleet = GrpcChannel.ForAddress(target.FleetEndpoint);
        using var key = LocalTokens.LoadKey(target.TokenKeyFile);
        _auditorToken = LocalTokens.Mint(key, new TokenClaims(Auditor, "FR", true, TimeSpan.FromHours(2)), DateTimeOffset.UtcNow);
    }

    public int Gateways => _channels.Length;

    /// <summary>Calls to gateway <paramref name="gateway"/> (0-based, wrapping) as the provisioning tooling.</summary>
    public CallInvoker Invoker(int gateway) => _channels[Index(gateway)].CreateCallInvoker();

    /// <summary>The headers every tooling call carries: none, its client certificate authenticates it.</summary>
    public Metadata ToolingHeaders() => [];

    public Provisioning.ProvisioningClient Provisioning(int gateway) => new(Invoker(gateway));
    public Tenants.TenantsClient Tenants(int gateway) => new(Invoker(gateway));
    public Contracts.V1.Topology.TopologyClient Topology(int gateway) => new(Invoker(gateway));
    public Contracts.V1.Audit.AuditClient Audit(int gateway) => new(_auditorChannels[Index(gateway)].WithToken(_auditorToken));
    public FleetControl.FleetControlClient Fleet => new(_fleet);
    public Agent.AgentClient Agents => new(_fleet);

    public void Dispose()
    {
        foreach (var channel in _channels.Concat(_auditorChannels)) channel.Dispose();
        _fleet.Dispose();
    }

    private int Index(int gateway) => ((gateway % _channels.Length) + _channels.Length) % _channels.Length;

    private static GrpcChannel Open(Uri endpoint, string caFile, string? certificateFile, string? keyFile) =>
        GrpcChannel.ForAddress(endpoint, Channels.Options(Channels.Handler(new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            KeepAlivePingDelay = TimeSpan.FromSeconds(5),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
        }, caFile, certificateFile, keyFile)));
}
