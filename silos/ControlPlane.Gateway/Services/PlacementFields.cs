using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Topology;

namespace ControlPlane.Gateway.Services;

/// <summary>
/// All of a placement request's problems in one answer: when a field's syntax is wrong, the size, region and zone are also
/// checked against the catalogue and topology here, so the caller does not learn of them only on the next try. A request
/// whose syntax is right goes to its grain, which checks them itself (one read of the topology spared on the common path).
/// </summary>
public static class PlacementFields
{
    public static async Task ThrowIfAnyAsync(IGrainFactory grains, string size, string region, string zone, params (string Field, string? Problem)[] syntax)
    {
        if (syntax.All(c => c.Problem is null)) return;
        var bad = syntax.Where(c => c.Problem is not null).Select(c => c.Field).ToHashSet(StringComparer.Ordinal);
        bool Check(string field, string value) => value.Length > 0 && !bad.Contains(field);
        var checks = new List<(string Field, string? Problem)>(syntax);
        if (Check("size", size) || Check("region", region) || Check("zone", zone))
        {
            var topology = grains.GetGrain<ITopologyGrain>(ITopologyGrain.Key);
            if (Check("size", size) && !(await topology.ListSizesAsync()).Any(s => s.Name == size))
            {
                checks.Add(("size", Validate.UnknownSize(size)));
            }
            var regions = await topology.ListRegionsAsync();
            var known = regions.FirstOrDefault(r => r.Id == region);
            if (Check("region", region) && known is null) checks.Add(("region", Validate.UnknownRegion(region)));
            if (Check("zone", zone))
            {
                var zoneRegion = regions.FirstOrDefault(r => r.Zones.Contains(zone));
                if (zoneRegion is null) checks.Add(("zone", Validate.UnknownZone(zone)));
                else if (known is not null && zoneRegion.Id != known.Id) checks.Add(("zone", Validate.ZoneNotInRegion(zone, zoneRegion.Id, known.Id)));
            }
        }
        Validate.ThrowIfAny([.. checks]);
    }
}
