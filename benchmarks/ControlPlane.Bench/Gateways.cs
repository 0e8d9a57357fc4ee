using ControlPlane.Contracts.Security;
using ControlPlane.Contracts.V1;
using Grpc.Net.Client;

namespace ControlPlane.Bench;

/// <summary>
/// One gRPC channel per gateway, shared by every worker: HTTP/2 over one connection, a second one
/// opened only when a connection's streams (100 by default on the server) are all in use. A slot
/// (a worker's number) picks the gateway, so the load is spread evenly over them.
/// </summary>
public sealed class Gateways : IDisposable
{
    private readonly GrpcChannel[] _channels;
    private readonly Diagnostics.DiagnosticsClient[] _diagnostics;
    private readonly Provisioning.ProvisioningClient[] _provisioning;
    private readonly Tenants.TenantsClient[] _tenants;

    /// <param name="tls">For an https cluster: the CA to trust and the tooling's client certificate (its service account).</param>
    public Gateways(IReadOnlyList<Uri> endpoints, (string? Ca, string? Cert, string? Key) tls = default)
    {
        Endpoints = endpoints;
        _channels = [.. endpoints.Select(e => GrpcChannel.ForAddress(e, new GrpcChannelOptions
        {
            HttpHandler = Channels.Handler(new SocketsHttpHandler { EnableMultipleHttp2Connections = true, PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan },
                tls.Ca, tls.Cert, tls.Key),
        }))];
        _diagnostics = [.. _channels.Select(c => new Diagnostics.DiagnosticsClient(c))];
        _provisioning = [.. _channels.Select(c => new Provisioning.ProvisioningClient(c))];
        _tenants = [.. _channels.Select(c => new Tenants.TenantsClient(c))];
        Topology = new Contracts.V1.Topology.TopologyClient(_channels[0]);
    }

    public IReadOnlyList<Uri> Endpoints { get; }
    public Contracts.V1.Topology.TopologyClient Topology { get; }

    public Diagnostics.DiagnosticsClient Diagnostics(int slot) => _diagnostics[slot % _channels.Length];
    public Provisioning.ProvisioningClient Provisioning(int slot) => _provisioning[slot % _channels.Length];
    public Tenants.TenantsClient Tenants(int slot) => _tenants[slot % _channels.Length];

    public void Dispose()
    {
        foreach (var channel in _channels) channel.Dispose();
    }
}
