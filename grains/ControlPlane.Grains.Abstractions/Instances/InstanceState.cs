namespace ControlPlane.Grains.Abstractions.Instances;

public enum InstanceState
{
    Provisioning = 1,
    Running = 2,
    Deleting = 3,
    Deleted = 4,
    Failed = 5,
    /// <summary>Being moved to another server (live for a drain, re-created when its server failed).</summary>
    Moving = 6,
}
