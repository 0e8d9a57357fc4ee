namespace ControlPlane.Faults.Load;

public enum RequestKind
{
    Create,
    Delete,
}
