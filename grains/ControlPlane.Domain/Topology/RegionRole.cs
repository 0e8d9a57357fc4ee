namespace ControlPlane.Domain.Topology;

public enum RegionRole
{
    Production = 1,
    DisasterRecovery = 2,
}
