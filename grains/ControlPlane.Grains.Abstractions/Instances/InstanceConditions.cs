namespace ControlPlane.Grains.Abstractions.Instances;

/// <summary>The condition types and reasons an instance reports. Stable strings: tooling branches on them.</summary>
public static class InstanceConditions
{
    /// <summary>Capacity is held for the instance on a schedulable server.</summary>
    public const string Placed = "Placed";
    /// <summary>The server's agent runs the instance at its current generation.</summary>
    public const string Running = "Running";

    public const string ReasonPlaced = "Placed";
    public const string ReasonMoving = "Moving";
    public const string ReasonEvacuating = "Evacuating";
    public const string ReasonProvisioning = "Provisioning";
    public const string ReasonAgentConfirmed = "AgentConfirmed";
    public const string ReasonInstanceLost = "InstanceLost";
    public const string ReasonRecreated = "Recreated";
    public const string ReasonServerFailed = "ServerFailed";
    public const string ReasonAgentUnreachable = "AgentUnreachable";
    public const string ReasonMoveFailed = "MoveFailed";
    public const string ReasonFailedOver = "FailedOver";
    public const string ReasonFailedBack = "FailedBack";
}
