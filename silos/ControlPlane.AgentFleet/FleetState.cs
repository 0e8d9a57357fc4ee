using System.Collections.Concurrent;
using ControlPlane.Contracts.V1;
using ControlPlane.Domain.Topology;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace ControlPlane.AgentFleet;

/// <summary>
/// What every simulated server runs, and the faults in force. Stands for the hardware: the
/// control plane reaches it only through the Agent service, as it would a real agent.
/// </summary>
public sealed class FleetState(PlatformTopology topology, IOptions<FleetOptions> options)
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, AgentInstance>> _servers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _dead = new(StringComparer.Ordinal);
    private readonly Lock _rackLock = new();
    private long _calls, _errors, _timeouts;

    public FleetFaults Faults { get; set; } = new()
    {
        ErrorRate = options.Value.ErrorRate, TimeoutRate = options.Value.TimeoutRate,
        MinLatencyMs = options.Value.MinLatencyMs, MaxLatencyMs = options.Value.MaxLatencyMs,
    };

    /// <summary>Plays one agent call's latency and faults; returns the server's instances when the call goes through.</summary>
    public async Task<ConcurrentDictionary<string, AgentInstance>> CallAsync(string serverId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        if (topology.FindServer(serverId) is null)
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"no agent for server '{serverId}'"));
        }
        var faults = Faults;
        var latency = Random.Shared.Next(faults.MinLatencyMs, Math.Max(faults.MinLatencyMs, faults.MaxLatencyMs) + 1);
        if (latency > 0) await Task.Delay(latency, cancellationToken);
        if (_dead.ContainsKey(serverId))
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"server '{serverId}' does not answer"));
        }
        var draw = Random.Shared.NextDouble();
        if (draw < faults.ErrorRate)
        {
            Interlocked.Increment(ref _errors);
            throw new RpcException(new Status(StatusCode.Unavailable, "injected agent error"));
        }
        if (draw < faults.ErrorRate + faults.TimeoutRate)
        {
            Interlocked.Increment(ref _timeouts);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        return _servers.GetOrAdd(serverId, _ => new ConcurrentDictionary<string, AgentInstance>(StringComparer.Ordinal));
    }

    public int SetDead(IEnumerable<string> serverIds, IEnumerable<string> zones, bool dead)
    {
        var servers = serverIds.Concat(zones.SelectMany(z => topology.FindZone(z)?.Servers.Select(s => s.Id)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"zone '{z}' does not exist"))));
        foreach (var id in servers)
        {
            if (topology.FindServer(id) is null) throw new RpcException(new Status(StatusCode.NotFound, $"server '{id}' does not exist"));
            if (dead) _dead[id] = true; else _dead.TryRemove(id, out _);
        }
        return _dead.Count;
    }

    public void Vanish(IEnumerable<string> instanceIds)
    {
        var gone = instanceIds.ToHashSet(StringComparer.Ordinal);
        foreach (var server in _servers.Values)
        {
            foreach (var id in server.Keys.Where(gone.Contains).ToList()) server.TryRemove(id, out _);
        }
    }

    /// <summary>Racks a new zone's servers (the same names and checks as the control plane's AddZone); returns how many.</summary>
    public int Rack(string region, string zone, string datacentre, IEnumerable<ControlPlane.Domain.Topology.RackGroup> racks)
    {
        lock (_rackLock)
        {
            var change = new ControlPlane.Domain.Topology.TopologyChange(topology.Version + 1, DateTimeOffset.UtcNow, ControlPlane.Domain.Topology.TopologyChangeKind.AddZone, "fleet", "racked",
                region, zone, datacentre, [.. racks]);
            try
            {
                topology.CatchUp([change]);
            }
            catch (InvalidOperationException e)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
            }
            return topology.FindZone(zone)!.Servers.Count;
        }
    }

    public FleetStatus Status() => new()
    {
        Calls = Interlocked.Read(ref _calls), InjectedErrors = Interlocked.Read(ref _errors), InjectedTimeouts = Interlocked.Read(ref _timeouts),
        DeadServers = _dead.Count, Instances = _servers.Values.Sum(s => s.Count),
    };
}
