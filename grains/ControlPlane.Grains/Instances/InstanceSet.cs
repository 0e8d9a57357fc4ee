using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Operations;

namespace ControlPlane.Grains.Instances;

/// <summary>
/// Phases of the workflows on a set of instances, all or none (a zone-redundant set, a service's
/// instances): the set is the operation state's <see cref="OperationGrainState.Members"/>.
/// </summary>
public static class InstanceSet
{
    /// <summary>Runs <paramref name="step"/> on every member at once; returns the members whose agent failed for good, in order.</summary>
    public static async Task<IReadOnlyList<AgentFailure>> EachAsync(IEnumerable<InstanceInfo> members, Func<InstanceInfo, Task> step)
    {
        var outcomes = await Task.WhenAll(members.Select(async member =>
        {
            try
            {
                await step(member);
                return (AgentFailure?)null;
            }
            catch (Exception e) when (OperationContext.IsAgentFailure(e))
            {
                return new AgentFailure(member, e);
            }
        }));
        return [.. outcomes.OfType<AgentFailure>()];
    }

    /// <summary>Has every member's agent build it, all at once; returns the first that failed for good, if any.</summary>
    public static async Task<AgentFailure?> BuildAsync(OperationContext context)
    {
        var failures = await EachAsync(context.State.Members, member => context.CallAgentAsync("agent.create_instance", member.ServerId,
            ct => context.Agents.CreateInstanceAsync(member.ServerId, member, "", ct)));
        if (failures.Count == 0) return null;
        var failure = failures[0];
        context.LogAgentFailed(failure.Error, failure.Instance.Id, failure.Instance.ServerId);
        context.Grains.GetGrain<IServerGrain>(failure.Instance.ServerId).ReportAgentFailureAsync(failure.Error.Message).Ignore();
        // Copies the other agents built become strays once forgotten: their servers' reconciliation deletes them.
        return failure;
    }

    /// <summary>The error of a set given back because one member's agent failed.</summary>
    public static DomainError RolledBack(OperationContext context, AgentFailure failure) =>
        DomainError.Of(ErrorStatus.Unavailable, ErrorReasons.Unavailable,
            $"the agent of server '{failure.Instance.ServerId}' failed for instance '{failure.Instance.Id}': {failure.Error.Message}; the whole set was rolled back",
            (ErrorMetadata.OperationId, context.Operation.Id), (ErrorMetadata.ServerId, failure.Instance.ServerId));

    /// <summary>Releases whatever every member holds.</summary>
    public static async Task ForgetAsync(OperationContext context)
    {
        foreach (var member in context.State.Members) await InstanceSteps.ForgetAsync(context, member);
    }
}
