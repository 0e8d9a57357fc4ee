using System.ComponentModel.DataAnnotations;
using System.Net;

namespace ControlPlane.Silo;

/// <summary>How this process runs (section "ControlPlane:Silo").</summary>
public sealed class SiloOptions : IValidatableObject
{
    public const string Section = "ControlPlane:Silo";

    /// <summary>"embedded": one silo, local clustering, in-memory state. The durable mode comes with PostgreSQL.</summary>
    public string Mode { get; set; } = "embedded";

    /// <summary>Address of the gRPC gateway (HTTP/2 without TLS), host:port; port 0 picks a free one.</summary>
    public string GrpcListen { get; set; } = "127.0.0.1:7180";

    /// <summary>Orleans silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Orleans client-gateway port.</summary>
    public int OrleansGatewayPort { get; set; } = 30000;

    public IPEndPoint GrpcEndpoint => IPEndPoint.Parse(GrpcListen);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Mode != "embedded")
        {
            yield return new ValidationResult($"{Section}:Mode is '{Mode}'; supported: embedded", [nameof(Mode)]);
        }
        if (!IPEndPoint.TryParse(GrpcListen, out var endpoint) || endpoint.Port is < 0 or > 65535)
        {
            yield return new ValidationResult($"{Section}:GrpcListen '{GrpcListen}' is not host:port with an IP address", [nameof(GrpcListen)]);
        }
        if (SiloPort is <= 0 or > 65535 || OrleansGatewayPort is <= 0 or > 65535)
        {
            yield return new ValidationResult($"{Section}:SiloPort and {Section}:OrleansGatewayPort must be 1..65535", [nameof(SiloPort)]);
        }
    }
}
