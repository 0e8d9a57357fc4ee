namespace ControlPlane.Grains.Abstractions.Cluster;

/// <summary>The cluster's silos, read from Orleans' membership (the management grain's detailed hosts).</summary>
public interface IClusterMembers
{
    /// <summary>Every silo in the membership table, dead ones included while the table keeps them, by start time.</summary>
    Task<IReadOnlyList<ClusterMemberInfo>> ListAsync();
}
