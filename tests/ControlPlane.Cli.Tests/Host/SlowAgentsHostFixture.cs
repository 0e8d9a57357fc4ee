using ControlPlane.IntegrationTests;

namespace ControlPlane.Cli.Tests.Host;

/// <summary>The embedded control plane with agents that take seconds to build an instance: a wait lasts long enough to watch.</summary>
public sealed class SlowAgentsHostFixture : HostFixture
{
    public static readonly TimeSpan AgentLatency = TimeSpan.FromSeconds(4);

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [new("ControlPlane:Agents:Latency", AgentLatency.ToString())];
}
