namespace ControlPlane.Model;

public enum RegionRole
{
    Production = 1,
    DisasterRecovery = 2,
}
