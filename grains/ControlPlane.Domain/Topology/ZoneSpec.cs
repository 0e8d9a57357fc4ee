namespace ControlPlane.Domain.Topology;

public sealed record ZoneSpec(string Id, string Region, string Datacentre, IReadOnlyList<ServerSpec> Servers, ZoneState State = ZoneState.Active);
