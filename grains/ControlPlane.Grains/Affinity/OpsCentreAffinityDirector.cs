using ControlPlane.Domain.Topology;
using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace ControlPlane.Grains.Affinity;

/// <summary>
/// Keeps the silos of the ops centre that pilots the grain's region, while one is alive; when
/// none is, every silo stays a candidate, so the other centre takes the region over.
/// </summary>
public sealed class OpsCentreAffinityDirector(PlatformTopology topology, ISiloMetadataCache metadata) : IPlacementFilterDirector
{
    public const string MetadataKey = "opscentre";

    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        var candidates = silos as IReadOnlyCollection<SiloAddress> ?? silos.ToList();
        if (topology.RegionOf(target.GrainIdentity.Key.ToString()!) is not { } region) return candidates;

        var piloting = candidates.Where(s => metadata.GetSiloMetadata(s).Metadata.GetValueOrDefault(MetadataKey) == region.OpsCentre).ToList();
        return piloting.Count > 0 ? piloting : candidates;
    }
}
