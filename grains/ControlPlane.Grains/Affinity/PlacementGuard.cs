using ControlPlane.Domain.Topology;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace ControlPlane.Grains.Affinity;

/// <summary>
/// Tells a region or zone grain that it runs away from its region's piloting ops centre while a
/// silo of that centre is active again (after a takeover): it should then deactivate, so that its
/// next call places it back with the pilot.
/// </summary>
public sealed class PlacementGuard(PlatformTopology topology, ILocalSiloDetails local, IClusterMembershipService membership, ISiloMetadataCache metadata)
{
    public static readonly TimeSpan CheckPeriod = TimeSpan.FromSeconds(10);

    public string LocalOpsCentre => CentreOf(local.SiloAddress);

    public bool IsMisplaced(string grainKey)
    {
        if (topology.RegionOf(grainKey) is not { } region || LocalOpsCentre == region.OpsCentre) return false;
        return membership.CurrentSnapshot.Members.Values.Any(m => m.Status == SiloStatus.Active && CentreOf(m.SiloAddress) == region.OpsCentre);
    }

    private string CentreOf(SiloAddress silo) =>
        metadata.GetSiloMetadata(silo).Metadata.GetValueOrDefault(OpsCentreAffinityDirector.MetadataKey, "");
}
