using ControlPlane.Grains.Abstractions.Instances;

namespace ControlPlane.Grains.Instances;

/// <summary>
/// An instance's record as it goes through a create, the same whoever holds it (its grain, or the create's operation
/// until the instance runs): each step sets its state and the conditions that say why.
/// </summary>
public static class InstanceRecord
{
    /// <summary>Admitted, waiting for placement and for the agent.</summary>
    public static InstanceInfo Provisioning(InstanceInfo instance, DateTimeOffset now) => instance
        .WithCondition(InstanceConditions.Placed, false, InstanceConditions.ReasonProvisioning, "waiting for placement", now)
        .WithCondition(InstanceConditions.Running, false, InstanceConditions.ReasonProvisioning, "waiting for the agent", now);

    /// <summary>In <paramref name="state"/>, on <paramref name="serverId"/> when it has one; RUNNING also records the agent's confirmation.</summary>
    public static InstanceInfo Updated(InstanceInfo instance, string zone, string serverId, InstanceState state, DateTimeOffset now)
    {
        var updated = instance with { Zone = zone, ServerId = serverId, State = state, UpdateTime = now };
        if (serverId.Length > 0)
        {
            updated = updated.WithCondition(InstanceConditions.Placed, true, InstanceConditions.ReasonPlaced, $"on server '{serverId}' in zone '{zone}'", now);
        }
        if (state == InstanceState.Running)
        {
            updated = updated.WithCondition(InstanceConditions.Running, true, InstanceConditions.ReasonAgentConfirmed, $"the agent of server '{serverId}' runs it", now)
                with { ObservedGeneration = updated.Generation };
        }
        return updated;
    }

    /// <summary>
    /// The id of the instance a single create makes: "i-" and the hexadecimal digits of its operation's id, so that its
    /// grain finds the operation that holds it until it runs (<see cref="CreateOperationOf"/>). Every create operation
    /// has its own id, and so its own instance id.
    /// </summary>
    public static string IdFor(string createOperationId) =>
        createOperationId.StartsWith(OperationPrefix, StringComparison.Ordinal) ? InstancePrefix + createOperationId[OperationPrefix.Length..]
        : throw new ArgumentException($"'{createOperationId}' is not an operation id", nameof(createOperationId));

    /// <summary>The operation that would have created the instance <paramref name="instanceId"/>, if it came from a single create.</summary>
    public static string? CreateOperationOf(string instanceId) =>
        instanceId.StartsWith(InstancePrefix, StringComparison.Ordinal) ? OperationPrefix + instanceId[InstancePrefix.Length..] : null;

    private const string OperationPrefix = "op-";
    private const string InstancePrefix = "i-";
}
