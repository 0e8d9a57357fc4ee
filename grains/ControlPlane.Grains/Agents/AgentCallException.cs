namespace ControlPlane.Grains.Agents;

/// <summary>
/// A call to a server's agent that failed for good (after the pipeline's retries, or with its breaker
/// open): the only failure a workflow takes for the agent's. Its message is the agent's own. It is
/// thrown and caught inside the operation grain that made the call, never sent to another grain.
/// </summary>
public sealed class AgentCallException(string serverId, Exception agentError) : Exception(agentError.Message, agentError)
{
    public string ServerId => serverId;
}
