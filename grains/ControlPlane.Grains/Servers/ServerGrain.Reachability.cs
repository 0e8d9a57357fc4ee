using ControlPlane.Domain.Servers;
using ControlPlane.Grains.Abstractions.Servers;

namespace ControlPlane.Grains.Servers;

/// <summary>Agent reachability: asking the agent what it runs, and what its answers (or silence) say of it.</summary>
public sealed partial class ServerGrain
{
    private AgentReachability _agent = AgentReachability.Unknown;

    public Task ReportAgentFailureAsync(string error)
    {
        var wasReachable = _agent.Reachable;
        _agent = _agent.Unanswered(clock.GetUtcNow(), error);
        if (wasReachable) ReportToZone();
        return Task.CompletedTask;
    }

    /// <summary>Asks the agent what it runs: through the retried pipeline, or once when a deadline is given.</summary>
    private async Task<AgentProbe> ProbeAsync(string id, CancellationToken? once = null)
    {
        var start = clock.GetUtcNow();
        try
        {
            var running = once is { } token ? await agents.ListInstancesAsync(id, token) : null;
            if (running is null)
            {
                await agentCalls.ExecuteAsync(id, async ct => running = await agents.ListInstancesAsync(id, ct), CancellationToken.None);
            }
            return new AgentProbe(true, [.. running!], "", start);
        }
        catch (Exception e)
        {
            return new AgentProbe(false, [], e.Message, start);
        }
    }

    private void Observe(AgentProbe probe) =>
        _agent = probe.Answered ? _agent.Answered(clock.GetUtcNow()) : _agent.Unanswered(probe.StartTime, probe.Error);

    private ServerAgentStatus AgentStatus() =>
        new(_agent.Reachable, _agent.LastContact, _agent.UnreachableSince, _agent.LastError, agentCalls.CircuitOf(Id));
}
