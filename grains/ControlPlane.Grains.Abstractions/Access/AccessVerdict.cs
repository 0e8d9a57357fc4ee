namespace ControlPlane.Grains.Abstractions.Access;

/// <summary>What <see cref="AccessPolicy.Require"/> allows: the call, or the call once the operator shows an active lockbox grant.</summary>
public enum AccessVerdict
{
    Allowed,
    NeedsLockbox,
}
