namespace ControlPlane.Grains.Abstractions.Access;

/// <summary>What a role assignment covers: "platform", "region:&lt;id&gt;" or "tenant:&lt;id&gt;".</summary>
public static class Scopes
{
    public const string Platform = "platform";
    public const string RegionPrefix = "region:";
    public const string TenantPrefix = "tenant:";

    public static string Region(string id) => RegionPrefix + id;

    public static string Tenant(string id) => TenantPrefix + id;

    public static bool IsValid(string scope) =>
        scope == Platform
        || (scope.StartsWith(RegionPrefix, StringComparison.Ordinal) && scope.Length > RegionPrefix.Length)
        || (scope.StartsWith(TenantPrefix, StringComparison.Ordinal) && scope.Length > TenantPrefix.Length);

    /// <summary>Whether an assignment on <paramref name="assigned"/> covers <paramref name="target"/>.</summary>
    public static bool Covers(string assigned, string target) => assigned == Platform || assigned == target;

    /// <summary>Whether two scopes share resources: equal, or one is the whole platform.</summary>
    public static bool Overlap(string a, string b) => a == b || a == Platform || b == Platform;
}
