namespace ControlPlane.Grains.Abstractions.Access;

public enum ApprovalState
{
    Pending = 1,
    /// <summary>Approved: the requester may now perform the action once, before it expires.</summary>
    Approved = 2,
    Rejected = 3,
    /// <summary>The action was performed with it.</summary>
    Used = 4,
    Expired = 5,
}
