namespace ControlPlane.Grains.Abstractions.Cluster;

/// <summary>One silo of the cluster as its membership records it, with the ops centre it declared and the regions that centre pilots.</summary>
public sealed record ClusterMemberInfo(
    string Address, string Name, string HostName, string Status, DateTimeOffset StartTime, DateTimeOffset IAmAliveTime,
    string OpsCentre, IReadOnlyList<string> Regions, bool IsLocal);
