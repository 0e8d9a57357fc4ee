namespace ControlPlane.Grains.Abstractions.Access;

public enum AccessGrantState
{
    /// <summary>Asked by an operator, waiting for the tenant's approval.</summary>
    Pending = 1,
    Active = 2,
    Rejected = 3,
    Revoked = 4,
    Expired = 5,
}
