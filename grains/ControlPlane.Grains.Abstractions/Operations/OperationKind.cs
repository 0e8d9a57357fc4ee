namespace ControlPlane.Grains.Abstractions.Operations;

public enum OperationKind
{
    CreateInstance = 1,
    DeleteInstance = 2,
    /// <summary>Moves an instance off a server: live for a drain, re-created for an evacuation.</summary>
    MoveInstance = 3,
    /// <summary>Creates N instances in N distinct zones of a region, all or none.</summary>
    CreateZoneRedundantInstances = 4,
    /// <summary>Orders a service of the catalogue: its record, and the instances it runs on, all or none.</summary>
    OrderService = 5,
    /// <summary>Cancels a service: its metering ends, its instances are deleted.</summary>
    CancelService = 6,
    /// <summary>Drains a server (an operator's DrainServer): ends when it is DRAINED; its instances move by MoveInstance operations.</summary>
    DrainServer = 7,
}
