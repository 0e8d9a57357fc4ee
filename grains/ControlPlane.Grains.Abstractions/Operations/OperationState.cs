namespace ControlPlane.Grains.Abstractions.Operations;

public enum OperationState
{
    Pending = 1,
    Running = 2,
    Succeeded = 3,
    Failed = 4,
}
