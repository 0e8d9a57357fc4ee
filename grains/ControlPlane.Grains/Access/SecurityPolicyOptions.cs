using ControlPlane.Grains.Abstractions.Access;

namespace ControlPlane.Grains.Access;

/// <summary>The operator's own security commitments (section "ControlPlane:Security:Policy"). SecNumCloud's rules are not settings.</summary>
public sealed class SecurityPolicyOptions
{
    public const string Section = "ControlPlane:Security:Policy";

    /// <summary>Whether a platform with no recorded seal state starts sealed against vendor personnel.</summary>
    public bool SealedAtStart { get; set; } = true;

    /// <summary>Pairs of roles one principal cannot hold on overlapping scopes, "auditor+operator" (SNC 9.3.f).</summary>
    public List<string> IncompatibleRoles { get; set; } = ["auditor+operator", "auditor+security-officer", "operator+security-officer"];

    /// <summary>How long an approved four-eyes request may wait to be used.</summary>
    public TimeSpan ApprovalLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The longest lockbox grant an operator may ask for.</summary>
    public TimeSpan MaxLockboxDuration { get; set; } = TimeSpan.FromHours(8);

    /// <summary>The longest break-glass access.</summary>
    public TimeSpan MaxBreakGlassDuration { get; set; } = TimeSpan.FromHours(2);

    public IEnumerable<(Role A, Role B)> IncompatiblePairs()
    {
        foreach (var pair in IncompatibleRoles)
        {
            var parts = pair.Split('+', StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && Caller.ParseRole(parts[0]) is { } a && Caller.ParseRole(parts[1]) is { } b) yield return (a, b);
        }
    }

    public IEnumerable<string> Problems()
    {
        foreach (var pair in IncompatibleRoles)
        {
            var parts = pair.Split('+', StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts.Any(p => Caller.ParseRole(p) is null))
                yield return $"{Section}:IncompatibleRoles holds '{pair}'; expected 'role+role' with roles operator, tooling, tenant-admin, auditor, security-officer";
        }
        if (ApprovalLifetime <= TimeSpan.Zero) yield return $"{Section}:ApprovalLifetime must be positive";
        if (MaxLockboxDuration <= TimeSpan.Zero) yield return $"{Section}:MaxLockboxDuration must be positive";
        if (MaxBreakGlassDuration <= TimeSpan.Zero) yield return $"{Section}:MaxBreakGlassDuration must be positive";
    }
}
