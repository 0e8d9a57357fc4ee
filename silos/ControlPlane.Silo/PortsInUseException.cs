namespace ControlPlane.Silo;

/// <summary>The start stopped because ports the silo needs are taken: one line per port.</summary>
public sealed class PortsInUseException(IReadOnlyList<string> ports) : Exception(string.Join(Environment.NewLine, ports))
{
    public IReadOnlyList<string> Ports { get; } = ports;
}
