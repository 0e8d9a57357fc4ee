namespace ControlPlane.Grains.Abstractions.Access;

/// <summary>Who employs a principal: only the local operator administers the platform.</summary>
public static class Employers
{
    public const string Operator = "operator";
    public const string Vendor = "vendor";

    public static bool IsKnown(string employer) => employer is Operator or Vendor;
}
