namespace ControlPlane.Domain.Servers;

/// <summary>
/// Where a server is in its life. Only an <see cref="Active"/> server whose agent answers takes new
/// instances; the others keep (or give up) what they hold.
/// </summary>
public enum ServerLifecycle
{
    /// <summary>In service: takes new instances.</summary>
    Active = 1,
    /// <summary>Takes no new instances; keeps the ones it runs.</summary>
    Cordoned = 2,
    /// <summary>Cordoned, and its instances are being moved away live.</summary>
    Draining = 3,
    /// <summary>Drained: cordoned and empty, ready for maintenance or decommissioning.</summary>
    Drained = 4,
    /// <summary>Declared failed (by an operator, or after its agent stayed unreachable): its instances are re-created elsewhere.</summary>
    Failed = 5,
    /// <summary>Out of service and empty; commissioning brings it back.</summary>
    Decommissioned = 6,
}
