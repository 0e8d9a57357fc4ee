namespace ControlPlane.Grains.Storage;

public static class StorageNames
{
    /// <summary>The grain storage every ControlPlane grain writes to (memory when embedded, PostgreSQL when durable).</summary>
    public const string State = "controlplane";
}
