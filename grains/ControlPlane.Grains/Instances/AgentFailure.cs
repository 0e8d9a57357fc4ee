using ControlPlane.Grains.Abstractions.Instances;

namespace ControlPlane.Grains.Instances;

/// <summary>An instance whose agent failed for good (after its retries), and how.</summary>
public sealed record AgentFailure(InstanceInfo Instance, Exception Error);
