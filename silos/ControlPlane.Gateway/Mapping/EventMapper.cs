using ControlPlane.Grains.Abstractions.Events;
using Google.Protobuf.WellKnownTypes;
using V1 = ControlPlane.Contracts.V1;

namespace ControlPlane.Gateway.Mapping;

/// <summary>Event log records ↔ proto.</summary>
public static class EventMapper
{
    public static V1.PlatformEvent ToProto(this PlatformEvent e)
    {
        var proto = new V1.PlatformEvent
        {
            Sequence = e.Sequence, Time = Timestamp.FromDateTimeOffset(e.Time), Kind = e.Kind.ToProto(), OpsCentre = e.OpsCentre,
            DetectedBy = e.DetectedBy, DetectedTime = Timestamp.FromDateTimeOffset(e.DetectedAt), Delay = Duration.FromTimeSpan(e.Delay),
        };
        proto.TakenOverBy.AddRange(e.TakenOverBy);
        proto.Regions.AddRange(e.Regions);
        return proto;
    }

    public static V1.EventKind ToProto(this PlatformEventKind kind) => kind switch
    {
        PlatformEventKind.OpsCentreTakeover => V1.EventKind.OpsCentreTakeover,
        PlatformEventKind.OpsCentreReturn => V1.EventKind.OpsCentreReturn,
        _ => V1.EventKind.Unspecified,
    };

    /// <summary>The kind to filter on; null for UNSPECIFIED (every kind).</summary>
    public static PlatformEventKind? ToModel(this V1.EventKind kind) => kind switch
    {
        V1.EventKind.OpsCentreTakeover => PlatformEventKind.OpsCentreTakeover,
        V1.EventKind.OpsCentreReturn => PlatformEventKind.OpsCentreReturn,
        _ => null,
    };
}
