namespace ControlPlane.Bench;

/// <summary>One call of a load; throws <see cref="Grpc.Core.RpcException"/> when the call fails.</summary>
/// <param name="slot">Which of the workload's channels to use (a worker's number, or a paced call's).</param>
public delegate Task BenchCall(int slot, CancellationToken cancellationToken);
