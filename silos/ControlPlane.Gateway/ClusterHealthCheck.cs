using ControlPlane.Grains.Abstractions.Topology;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ControlPlane.Grains.Abstractions.Access;

namespace ControlPlane.Gateway;

/// <summary>Healthy when a grain call through the cluster answers: the gateway can serve.</summary>
public sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var system = CallerContext.AsSystem("health-check");
        try
        {
            var sizes = await grains.GetGrain<ITopologyGrain>(ITopologyGrain.Key).ListSizesAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return sizes.IsDefaultOrEmpty ? HealthCheckResult.Degraded("no instance sizes loaded") : HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            return HealthCheckResult.Unhealthy("the cluster does not answer", e);
        }
    }
}
