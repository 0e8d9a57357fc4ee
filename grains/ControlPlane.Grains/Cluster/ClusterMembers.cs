using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Cluster;
using ControlPlane.Grains.Affinity;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace ControlPlane.Grains.Cluster;

/// <summary>
/// The cluster view from <see cref="IManagementGrain.GetDetailedHosts"/>: address, name, host, status and times of each
/// silo, and the ops centre from its silo metadata (known for silos this one has exchanged metadata with; "" otherwise).
/// </summary>
public sealed class ClusterMembers(IGrainFactory grains, ISiloMetadataCache metadata, ILocalSiloDetails local, PlatformTopology topology) : IClusterMembers
{
    public async Task<IReadOnlyList<ClusterMemberInfo>> ListAsync()
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false);
        return [.. hosts.OrderBy(h => h.StartTime).ThenBy(h => h.SiloAddress.ToParsableString(), StringComparer.Ordinal).Select(h =>
        {
            var centre = metadata.GetSiloMetadata(h.SiloAddress).Metadata.GetValueOrDefault(OpsCentreAffinityDirector.MetadataKey, "");
            var regions = centre.Length == 0 ? [] : topology.Regions.Where(r => r.OpsCentre == centre).Select(r => r.Id).ToList();
            return new ClusterMemberInfo(h.SiloAddress.ToParsableString(), h.SiloName ?? "", h.HostName ?? "", StatusOf(h.Status),
                new DateTimeOffset(DateTime.SpecifyKind(h.StartTime, DateTimeKind.Utc)), new DateTimeOffset(DateTime.SpecifyKind(h.IAmAliveTime, DateTimeKind.Utc)),
                centre, regions, h.SiloAddress.Equals(local.SiloAddress));
        })];
    }

    private static string StatusOf(SiloStatus status) => status switch
    {
        SiloStatus.Created or SiloStatus.Joining => "joining",
        SiloStatus.Active => "active",
        SiloStatus.ShuttingDown => "shutting-down",
        SiloStatus.Stopping => "stopping",
        SiloStatus.Dead => "dead",
        _ => "unknown",
    };
}
