using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ControlPlane.Domain.Capacity;

namespace ControlPlane.Grains.Telemetry;

/// <summary>Free capacity of the zones this silo serves, as gauges tagged with the zone.</summary>
public sealed class ZoneCapacityMetrics
{
    private readonly ConcurrentDictionary<string, ResourceAmount> _free = new(StringComparer.Ordinal);

    public ZoneCapacityMetrics()
    {
        ControlPlaneTelemetry.Meter.CreateObservableGauge("controlplane.zone.free.cores", () => Measure(r => r.Cores), "{core}", "Free cores per zone");
        ControlPlaneTelemetry.Meter.CreateObservableGauge("controlplane.zone.free.memory", () => Measure(r => r.MemoryMib), "MiBy", "Free memory per zone");
        ControlPlaneTelemetry.Meter.CreateObservableGauge("controlplane.zone.free.gpus", () => Measure(r => r.Gpus), "{gpu}", "Free GPUs per zone");
    }

    public void Report(string zone, ResourceAmount free) => _free[zone] = free;

    public void Forget(string zone) => _free.TryRemove(zone, out _);

    private IEnumerable<Measurement<long>> Measure(Func<ResourceAmount, long> dimension) =>
        _free.Select(z => new Measurement<long>(dimension(z.Value), new KeyValuePair<string, object?>(ControlPlaneTelemetry.Tags.Zone, z.Key)));
}
