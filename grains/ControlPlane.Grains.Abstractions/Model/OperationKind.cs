namespace ControlPlane.Model;

public enum OperationKind
{
    CreateInstance = 1,
    DeleteInstance = 2,
    /// <summary>Moves an instance off a server: live for a drain, re-created for an evacuation.</summary>
    MoveInstance = 3,
    /// <summary>Creates N instances in N distinct zones of a region, all or none.</summary>
    CreateZoneRedundantInstances = 4,
}
