namespace ControlPlane.Grains.Abstractions.Regions;

public enum RegionRole
{
    Production = 1,
    DisasterRecovery = 2,
}
