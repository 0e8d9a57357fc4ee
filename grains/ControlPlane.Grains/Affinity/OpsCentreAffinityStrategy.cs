using Orleans.Placement;

namespace ControlPlane.Grains.Affinity;

/// <summary>Places a region's grains in the operations centre that pilots the region (see the director).</summary>
public sealed class OpsCentreAffinityStrategy() : PlacementFilterStrategy(order: 0);
