namespace ControlPlane.Model;

public enum OperationKind
{
    CreateInstance = 1,
    DeleteInstance = 2,
}
