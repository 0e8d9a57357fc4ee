using ControlPlane.Domain.Topology;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ControlPlane.Silo.Health;

/// <summary>The topology this silo loaded at start: its regions, zones and servers (the "cluster" check asks the grains for it).</summary>
public sealed class TopologyHealthCheck(PlatformTopology topology) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["regions"] = topology.Regions.Count,
            ["zones"] = topology.Regions.Sum(r => r.Zones.Count),
            ["servers"] = topology.ServerCount,
        };
        return Task.FromResult(topology.ServerCount > 0
            ? HealthCheckResult.Healthy("topology loaded", data)
            : HealthCheckResult.Unhealthy("the topology has no servers", data: data));
    }
}
