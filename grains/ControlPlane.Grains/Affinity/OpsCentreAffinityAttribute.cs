using Orleans.Placement;

namespace ControlPlane.Grains.Affinity;

/// <summary>Marks grains keyed by a region, zone or server id: they live with the region's piloting ops centre.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class OpsCentreAffinityAttribute() : PlacementFilterAttribute(new OpsCentreAffinityStrategy());
