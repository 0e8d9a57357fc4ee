using System.CommandLine;
using ControlPlane.Cli.Config;
using ControlPlane.Contracts.Security;
using ControlPlane.Contracts.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace ControlPlane.Cli;

/// <summary>How to reach the control plane: TLS trust, client certificate, bearer token.</summary>
public sealed record Credentials(string? CaCert = null, string? ClientCert = null, string? ClientKey = null, string? Token = null);

/// <summary>What every command needs: where the control plane is, with which credentials, and how to write.</summary>
public sealed class CliContext(Target target, Output output, Func<string, string?> environment) : IDisposable
{
    private readonly Credentials _credentials = target.Credentials;
    private GrpcChannel? _channel;
    private CallInvoker? _invoker;

    public Target Target { get; } = target;
    public string Endpoint => Target.Endpoint;
    public Output Out { get; } = output;
    public Func<string, string?> Environment { get; } = environment;

    private CallInvoker Invoker => _invoker ??= (_channel = Channels.Create(Endpoint, _credentials.CaCert, _credentials.ClientCert, _credentials.ClientKey))
        .WithToken(_credentials.Token);

    public Topology.TopologyClient Topology => new(Invoker);
    public Tenants.TenantsClient Tenants => new(Invoker);
    public Provisioning.ProvisioningClient Provisioning => new(Invoker);
    public Servers.ServersClient Servers => new(Invoker);
    public Catalog.CatalogClient Catalog => new(Invoker);
    public Billing.BillingClient Billing => new(Invoker);
    public Services.ServicesClient Services => new(Invoker);
    public DisasterRecovery.DisasterRecoveryClient Recovery => new(Invoker);
    public Audit.AuditClient Audit => new(Invoker);
    public Events.EventsClient Events => new(Invoker);
    public Diagnostics.DiagnosticsClient Diagnostics => new(Invoker);
    public Access.AccessClient Access => new(Invoker);
    public Approvals.ApprovalsClient Approvals => new(Invoker);
    public Lockbox.LockboxClient Lockbox => new(Invoker);
    public DataExport.DataExportClient Export => new(Invoker);

    public void Dispose() => _channel?.Dispose();
}

/// <summary>Options every command accepts.</summary>
public static class GlobalOptions
{
    public const string EndpointVariable = "CONTROLPLANE_ENDPOINT";
    public const string DefaultEndpoint = "http://127.0.0.1:7180";

    public static readonly Option<string?> Endpoint = new("--endpoint")
    {
        Description = $"Control plane gRPC address (default: ${EndpointVariable}, else the context's, else {DefaultEndpoint})",
        Recursive = true,
    };

    public static readonly Option<string?> Context = new("--context")
    {
        Description = $"The context to use (default: ${ConfigFile.ContextVariable}, else the current context; see 'cpctl config')",
        Recursive = true,
    };

    public const string TraceUrlVariable = "CONTROLPLANE_TRACE_VIEWER";

    public static readonly Option<string?> TraceUrl = new("--trace-url", "--trace-viewer")
    {
        Description = $"The trace viewer's address, e.g. the Aspire Dashboard's (default: ${TraceUrlVariable}, else the context's)",
        Recursive = true,
    };

    public static readonly Option<string> OutputFormat = new("--output", "-o")
    {
        Description = "Output format: table, wide (more columns), json, yaml, name (ids only) or value (bare values, tab-separated)",
        Recursive = true,
        DefaultValueFactory = _ => "table",
    };

    public const string TokenVariable = "CONTROLPLANE_TOKEN";
    public const string TokenFileVariable = "CONTROLPLANE_TOKEN_FILE";
    public const string CaCertVariable = "CONTROLPLANE_CA_CERT";
    public const string ClientCertVariable = "CONTROLPLANE_CLIENT_CERT";
    public const string ClientKeyVariable = "CONTROLPLANE_CLIENT_KEY";

    public static readonly Option<string?> Token = new("--token")
    {
        Description = $"Bearer token (JWT) sent with every call (default: ${TokenVariable}); 'cpctl token mint' makes one for a local cluster",
        Recursive = true,
    };

    public static readonly Option<string?> TokenFile = new("--token-file")
    {
        Description = $"File holding the bearer token (default: ${TokenFileVariable}, else the context's)",
        Recursive = true,
    };

    public static readonly Option<string?> CaCert = new("--ca-cert", "--ca")
    {
        Description = $"PEM of the CA the gateway's certificate must chain to, for an https endpoint (default: ${CaCertVariable}, else the context's)",
        Recursive = true,
    };

    public static readonly Option<string?> ClientCert = new("--client-cert")
    {
        Description = $"PEM client certificate for mutual TLS, a service account of the operator's CA (default: ${ClientCertVariable}, else the context's)",
        Recursive = true,
    };

    public static readonly Option<string?> ClientKey = new("--client-key")
    {
        Description = $"PEM private key of --client-cert (default: ${ClientKeyVariable}, else the context's)",
        Recursive = true,
    };

    public static readonly Option<string?> Query = new("--query")
    {
        Description = "JMESPath expression applied to the JSON form of the result, e.g. 'items[?state==`running`].id' (output: json unless -o yaml|value|name)",
        Recursive = true,
    };

    static GlobalOptions() => OutputFormat.AcceptOnlyFromAmong([.. Enum.GetNames<Cli.OutputFormat>().Select(n => n.ToLowerInvariant())]);

    public static Cli.OutputFormat FormatOf(ParseResult parse) => Enum.Parse<Cli.OutputFormat>(parse.GetValue(OutputFormat) ?? "table", ignoreCase: true);

    /// <summary>The -o asked for on a command line that may not parse (for its usage error): table when -o is missing or not a format.</summary>
    public static Cli.OutputFormat FormatOfAnyLine(ParseResult parse) =>
        parse.GetResult(OutputFormat) is { Tokens: [.., var last] } && Enum.GetNames<Cli.OutputFormat>().FirstOrDefault(n => n.Equals(last.Value, StringComparison.OrdinalIgnoreCase)) is { } name
            ? Enum.Parse<Cli.OutputFormat>(name) : Cli.OutputFormat.Table;
}
