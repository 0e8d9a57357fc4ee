using ControlPlane.Grains.Abstractions.Zones;

namespace ControlPlane.Grains.Scheduling;

/// <summary>The order in which a region tries its zones for a placement.</summary>
public static class ZoneOrder
{
    /// <summary>
    /// The preferred zone first (a move: same zone first), then by share of free cores — largest
    /// first to spread, smallest first to pack — then by id.
    /// </summary>
    public static IEnumerable<ZoneInfo> For(IEnumerable<ZoneInfo> zones, string preferred, ZonePolicy policy)
    {
        var sign = policy == ZonePolicy.Spread ? -1 : 1;
        return zones.OrderByDescending(z => z.Id == preferred)
            .ThenBy(z => sign * (double)z.Free.Cores / Math.Max(1, z.Total.Cores))
            .ThenBy(z => z.Id, StringComparer.Ordinal);
    }
}
