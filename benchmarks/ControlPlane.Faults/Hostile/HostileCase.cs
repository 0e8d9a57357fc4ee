namespace ControlPlane.Faults.Hostile;

/// <summary>
/// One kind of hostile request: raw bytes for a unary method of the API, built for the n-th time it is sent.
/// <paramref name="Service"/> is the short service name ("Provisioning"), <paramref name="Method"/> the method's.
/// </summary>
public sealed record HostileCase(string Name, string Service, string Method, Func<int, byte[]> Body)
{
    public string FullName => $"controlplane.v1.{Service}/{Method}";
}
