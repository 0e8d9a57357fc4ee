namespace ControlPlane.Cli.Config;

/// <summary>One named control plane: where it is, how cpctl proves who it is there, and where its traces are read.</summary>
public sealed class ContextEntry
{
    public string? Endpoint { get; set; }

    /// <summary>PEM of the CA the gateway's certificate chains to.</summary>
    public string? Ca { get; set; }

    public string? TokenFile { get; set; }

    public string? ClientCert { get; set; }

    public string? ClientKey { get; set; }

    /// <summary>The trace viewer's base address, e.g. the Aspire Dashboard's.</summary>
    public string? TraceUrl { get; set; }
}
