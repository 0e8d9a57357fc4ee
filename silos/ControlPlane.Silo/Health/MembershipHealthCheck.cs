using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ControlPlane.Silo.Health;

/// <summary>Healthy while this silo is Active in the cluster's membership; reports how many silos are active.</summary>
public sealed class MembershipHealthCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = membership.CurrentSnapshot;
        var status = snapshot.GetSiloStatus(silo.SiloAddress);
        var data = new Dictionary<string, object>
        {
            ["active_silos"] = snapshot.Members.Values.Count(m => m.Status == SiloStatus.Active),
            ["silo"] = silo.Name,
            ["silo_address"] = silo.SiloAddress.ToParsableString(),
            ["silo_status"] = status.ToString(),
        };
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy("this silo is active in the cluster", data)
            : HealthCheckResult.Unhealthy($"this silo is {status} in the cluster's membership", data: data));
    }
}
