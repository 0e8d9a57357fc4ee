using System.CommandLine;
using ControlPlane.Contracts.V1;
using Grpc.Net.Client;

namespace ControlPlane.Cli;

/// <summary>What every command needs: where the control plane is, and how to write.</summary>
public sealed class CliContext(string endpoint, Output output, Func<string, string?> environment) : IDisposable
{
    private GrpcChannel? _channel;

    public string Endpoint { get; } = endpoint;
    public Output Out { get; } = output;
    public Func<string, string?> Environment { get; } = environment;

    private GrpcChannel Channel => _channel ??= GrpcChannel.ForAddress(Endpoint);

    public Topology.TopologyClient Topology => new(Channel);
    public Tenants.TenantsClient Tenants => new(Channel);
    public Provisioning.ProvisioningClient Provisioning => new(Channel);
    public Servers.ServersClient Servers => new(Channel);
    public Catalog.CatalogClient Catalog => new(Channel);
    public Billing.BillingClient Billing => new(Channel);
    public Services.ServicesClient Services => new(Channel);
    public DisasterRecovery.DisasterRecoveryClient Recovery => new(Channel);
    public Audit.AuditClient Audit => new(Channel);
    public Events.EventsClient Events => new(Channel);

    public void Dispose() => _channel?.Dispose();
}

/// <summary>Options every command accepts.</summary>
public static class GlobalOptions
{
    public const string EndpointVariable = "CONTROLPLANE_ENDPOINT";
    public const string DefaultEndpoint = "http://127.0.0.1:7180";

    public static readonly Option<string?> Endpoint = new("--endpoint")
    {
        Description = $"Control plane gRPC address (default: ${EndpointVariable}, else {DefaultEndpoint})",
        Recursive = true,
    };

    public static readonly Option<string> OutputFormat = new("--output", "-o")
    {
        Description = "Output format: table or json",
        Recursive = true,
        DefaultValueFactory = _ => "table",
    };

    static GlobalOptions() => OutputFormat.AcceptOnlyFromAmong("table", "json");
}
