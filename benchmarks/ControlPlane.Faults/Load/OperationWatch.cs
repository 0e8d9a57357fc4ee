using System.Collections.Concurrent;
using ControlPlane.Contracts.V1;
using Grpc.Core;

namespace ControlPlane.Faults.Load;

/// <summary>
/// Follows the operations the load had acknowledged while it runs: records the first terminal state
/// seen of each (to find one that changes state again later), hands the instances of succeeded creates
/// to the load's deletes, and looks again at a few terminal ones each round.
/// </summary>
public sealed class OperationWatch(ClusterClients clients, History history)
{
    private readonly ConcurrentDictionary<string, TerminalSeen> _terminal = new();
    private readonly ConcurrentQueue<string> _deletable = new();
    private readonly ConcurrentBag<Reopening> _reopened = [];
    private int _round;

    public sealed record TerminalSeen(OperationState State, DateTimeOffset At);

    /// <summary>A terminal operation seen in another state afterwards.</summary>
    public sealed record Reopening(string OperationId, OperationState Terminal, OperationState Later, DateTimeOffset At);

    public IReadOnlyDictionary<string, TerminalSeen> Terminal => _terminal;
    public IReadOnlyCollection<Reopening> Reopened => _reopened;
    public ConcurrentQueue<string> Deletable => _deletable;

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await RoundAsync(stop);
                await Task.Delay(TimeSpan.FromSeconds(1), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Records what <paramref name="operation"/> shows now: a first terminal state, or a terminal one left.</summary>
    public void Observe(Operation operation, DateTimeOffset at)
    {
        if (_terminal.TryGetValue(operation.Id, out var seen))
        {
            if (operation.State != seen.State) _reopened.Add(new Reopening(operation.Id, seen.State, operation.State, at));
            return;
        }
        if (operation.State is not (OperationState.Succeeded or OperationState.Failed)) return;
        if (_terminal.TryAdd(operation.Id, new TerminalSeen(operation.State, at))
            && operation.State == OperationState.Succeeded && operation.Kind == OperationKind.CreateInstance)
        {
            _deletable.Enqueue(operation.InstanceId);
        }
    }

    private async Task RoundAsync(CancellationToken stop)
    {
        var round = Interlocked.Increment(ref _round);
        var acknowledged = history.Acknowledged.Select(r => r.OperationId).OfType<string>().ToList();
        var open = acknowledged.Where(id => !_terminal.ContainsKey(id));
        var recheck = acknowledged.Where(_terminal.ContainsKey).Skip(round * 10 % Math.Max(1, _terminal.Count)).Take(10);
        await Parallel.ForEachAsync(open.Concat(recheck).Select((id, i) => (id, i)),
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = stop }, async (item, ct) =>
            {
                try
                {
                    var operation = await clients.Provisioning(item.i).GetOperationAsync(new GetOperationRequest { Id = item.id },
                        deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: ct);
                    Observe(operation, DateTimeOffset.UtcNow);
                }
                catch (RpcException) when (!ct.IsCancellationRequested)
                {
                    // the cluster is being broken: next round
                }
            });
    }
}
