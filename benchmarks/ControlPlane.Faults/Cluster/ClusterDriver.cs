using System.Collections.Concurrent;
using System.Net;
using ControlPlane.Contracts.V1;
using ControlPlane.Faults.Analysis;
using ControlPlane.Faults.Load;

namespace ControlPlane.Faults.Cluster;

/// <summary>
/// Breaks the cluster the way operators see it broken — silos killed or frozen, PostgreSQL crashed or
/// frozen, the agent fleet gone, some agents unreachable, a silo cut off — and, as a supervisor would,
/// starts again any silo found down. Records each fault and each restart for the analysis.
/// </summary>
public sealed class ClusterDriver(ClusterTarget target, ClusterClients clients, TextWriter log)
{
    private readonly ConcurrentQueue<FaultEvent> _faults = new();
    private readonly ConcurrentQueue<SiloRestart> _restarts = new();
    private readonly ConcurrentDictionary<int, Task> _starting = new();

    public IReadOnlyList<FaultEvent> Faults => [.. _faults];
    public IReadOnlyList<SiloRestart> Restarts => [.. _restarts];

    /// <summary>Records a fault injected by other means (requests sent by a scenario itself).</summary>
    public void Record(FaultEvent fault) => _faults.Enqueue(fault);

    public bool IsAlive(int silo) => Signals.ReadPidFile(target.SiloPidFile(silo)) is { } pid && Signals.IsAlive(pid);

    /// <summary>Every second, starts again any silo that is not running (one start at a time per silo).</summary>
    public async Task SuperviseAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            for (var silo = 1; silo <= target.Silos; silo++)
            {
                if (!IsAlive(silo) && !_starting.ContainsKey(silo)) _starting[silo] = StartAgainAsync(silo, "found down");
            }
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Waits until every silo runs and has opened its gateway (starting those that do not).</summary>
    public async Task EnsureUpAsync()
    {
        for (var silo = 1; silo <= target.Silos; silo++)
        {
            if (!IsAlive(silo) && !_starting.ContainsKey(silo)) _starting[silo] = StartAgainAsync(silo, "found down");
        }
        await Task.WhenAll(_starting.Values);
    }

    public async Task KillAsync(int silo, CancellationToken cancellationToken)
    {
        var at = DateTimeOffset.UtcNow;
        log.WriteLine($"  {at:HH:mm:ss.f} {(await target.Script.RunAsync(cancellationToken, "kill", silo.ToString(System.Globalization.CultureInfo.InvariantCulture))).Trim()}");
        _faults.Enqueue(new FaultEvent($"kill -9 silo {silo}", at, at));
    }

    /// <summary>SIGSTOP of a silo for <paramref name="pause"/>, then SIGCONT.</summary>
    public async Task PauseSiloAsync(int silo, TimeSpan pause, CancellationToken cancellationToken)
    {
        var pid = Signals.ReadPidFile(target.SiloPidFile(silo)) ?? throw new InvalidOperationException($"silo {silo} has no pid file");
        await FreezeAsync($"SIGSTOP silo {silo} {pause.TotalSeconds:0} s", [pid], pause, cancellationToken);
    }

    public async Task RestartPostgresAsync(CancellationToken cancellationToken)
    {
        var at = DateTimeOffset.UtcNow;
        var output = await target.Script.RunAsync(cancellationToken, "pg-restart");
        var end = DateTimeOffset.UtcNow;
        log.WriteLine($"  {at:HH:mm:ss.f} {output.Trim()} ({(end - at).TotalSeconds:0.0} s)");
        _faults.Enqueue(new FaultEvent("PostgreSQL immediate restart", at, end));
    }

    /// <summary>SIGSTOP of the postmaster and all its children for <paramref name="pause"/>, then SIGCONT.</summary>
    public async Task PausePostgresAsync(TimeSpan pause, CancellationToken cancellationToken)
    {
        var postmaster = Signals.ReadPidFile(target.PostmasterPidFile) ?? throw new InvalidOperationException("PostgreSQL has no postmaster.pid");
        await FreezeAsync($"PostgreSQL paused {pause.TotalSeconds:0} s", [postmaster, .. Signals.Children(postmaster)], pause, cancellationToken);
    }

    /// <summary>The agent fleet killed (every server's agent gone) for <paramref name="down"/>, then started again.</summary>
    public async Task FleetDownAsync(TimeSpan down, CancellationToken cancellationToken)
    {
        var at = DateTimeOffset.UtcNow;
        log.WriteLine($"  {at:HH:mm:ss.f} {(await target.Script.RunAsync(cancellationToken, "fleet-stop")).Trim()}");
        try
        {
            await Task.Delay(down, cancellationToken);
        }
        finally
        {
            await target.Script.RunAsync(CancellationToken.None, "fleet-start");
            _faults.Enqueue(new FaultEvent($"agent fleet down {down.TotalSeconds:0} s", at, DateTimeOffset.UtcNow));
            log.WriteLine($"  {DateTimeOffset.UtcNow:HH:mm:ss.f} agent fleet started again");
        }
    }

    /// <summary>A share of all servers' agents unreachable (FleetControl.SetDead) for <paramref name="down"/>.</summary>
    public async Task AgentsUnreachableAsync(double share, TimeSpan down, Random random, CancellationToken cancellationToken)
    {
        var servers = await AllServersAsync(cancellationToken);
        var dead = servers.OrderBy(_ => random.Next()).Take((int)Math.Ceiling(servers.Count * share)).ToList();
        var at = DateTimeOffset.UtcNow;
        var request = new SetDeadRequest { Dead = true };
        request.ServerIds.AddRange(dead);
        await clients.Fleet.SetDeadAsync(request, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: cancellationToken);
        log.WriteLine($"  {at:HH:mm:ss.f} {dead.Count} of {servers.Count} agents unreachable for {down.TotalSeconds:0} s");
        try
        {
            await Task.Delay(down, cancellationToken);
        }
        finally
        {
            request.Dead = false;
            await clients.Fleet.SetDeadAsync(request, deadline: DateTime.UtcNow.AddSeconds(10));
            _faults.Enqueue(new FaultEvent($"{dead.Count} agents unreachable {down.TotalSeconds:0} s", at, DateTimeOffset.UtcNow));
        }
    }

    /// <summary>
    /// Cuts silo <paramref name="silo"/> from the others for <paramref name="cut"/> with nft rules on the
    /// silo-to-silo ports; false (and nothing done) when nft is not available. In the two-centre layout the
    /// two centres' namespaces are cut from each other instead (<c>deploy/local/cluster partition</c>, then
    /// <c>heal</c>): the silo's whole centre, its PostgreSQL included, from the other.
    /// </summary>
    public async Task<bool> PartitionAsync(int silo, TimeSpan cut, CancellationToken cancellationToken)
    {
        if (target.Hosts is not null)
        {
            await PartitionCentresAsync(cut, cancellationToken);
            return true;
        }
        var pid = Signals.ReadPidFile(target.SiloPidFile(silo)) ?? throw new InvalidOperationException($"silo {silo} has no pid file");
        var others = Enumerable.Range(1, target.Silos).Where(n => n != silo).Select(n => target.SiloPorts[n - 1]).ToList();
        await using var partition = await Partition.CreateAsync(pid, target.SiloPorts[silo - 1], others, log, cancellationToken);
        if (partition is null) return false;
        var at = DateTimeOffset.UtcNow;
        log.WriteLine($"  {at:HH:mm:ss.f} silo {silo} cut from silos {string.Join(", ", Enumerable.Range(1, target.Silos).Where(n => n != silo))} for {cut.TotalSeconds:0} s");
        try
        {
            await FollowRestartsAsync(silo, pid, at + cut, partition, "cut off", cancellationToken);
        }
        finally
        {
            await partition.HealAsync();
            _faults.Enqueue(new FaultEvent($"silo {silo} partitioned {cut.TotalSeconds:0} s", at, DateTimeOffset.UtcNow));
        }
        return true;
    }

    /// <summary>Nothing passes between Île-de-France and Rennes for <paramref name="cut"/>; a silo started again meanwhile is in its centre's namespace, so cut off too.</summary>
    private async Task PartitionCentresAsync(TimeSpan cut, CancellationToken cancellationToken)
    {
        var at = DateTimeOffset.UtcNow;
        log.WriteLine($"  {at:HH:mm:ss.f} {(await target.Script.RunAsync(cancellationToken, "partition")).Trim()} for {cut.TotalSeconds:0} s");
        try
        {
            await Task.Delay(cut, cancellationToken);
        }
        finally
        {
            log.WriteLine($"  {DateTimeOffset.UtcNow:HH:mm:ss.f} {(await target.Script.RunAsync(CancellationToken.None, "heal")).Trim()}");
            _faults.Enqueue(new FaultEvent($"rennes cut from idf {cut.TotalSeconds:0} s", at, DateTimeOffset.UtcNow));
        }
    }

    /// <summary>
    /// Puts <paramref name="min"/>–<paramref name="max"/> of delay each way between silo <paramref name="silo"/>
    /// and the others for <paramref name="length"/>: userspace proxies on their silo-to-silo connections
    /// (this kernel has no netem); false (and nothing done) when nft is not available. In the two-centre
    /// layout the proxies run on the bridge of the root namespace and every silo connection between the two
    /// centres goes through them (<see cref="CentreDelay"/>).
    /// </summary>
    public async Task<bool> DelayAsync(int silo, TimeSpan min, TimeSpan max, TimeSpan length, CancellationToken cancellationToken)
    {
        var hosts = target.Hosts;
        var pid = Signals.ReadPidFile(target.SiloPidFile(silo)) ?? throw new InvalidOperationException($"silo {silo} has no pid file");
        var proxies = Enumerable.Range(1, target.Silos).ToDictionary(n => target.SiloPorts[n - 1], n => hosts is null
            ? DelayProxy.Start(target.SiloPorts[n - 1], min, max)
            : DelayProxy.Start(IPAddress.Parse(hosts.BridgeAddress), new IPEndPoint(IPAddress.Parse(hosts.Address(HostsLayout.CentreOfSilo(n))), target.SiloPorts[n - 1]), min, max));
        try
        {
            var ports = proxies.ToDictionary(p => p.Key, p => p.Value.Port);
            await using INetworkFault? steered = hosts is null
                ? await Partition.CreateDelayAsync(pid, target.SiloPorts[silo - 1], ports, log, cancellationToken)
                : await CentreDelay.CreateAsync(hosts, target.SiloPorts, ports, log, cancellationToken);
            if (steered is null) return false;
            var at = DateTimeOffset.UtcNow;
            var between = hosts is null ? $"silo {silo}" : "rennes";
            var name = $"{between} {min.TotalMilliseconds:0}–{max.TotalMilliseconds:0} ms away {length.TotalSeconds:0} s";
            log.WriteLine($"  {at:HH:mm:ss.f} {name} (its silo connections reset and steered through delaying proxies)");
            try
            {
                // One host: a silo started again must be moved into the steered cgroup; a centre's namespace holds it anyway.
                if (steered is Partition cgroup) await FollowRestartsAsync(silo, pid, at + length, cgroup, "delayed", cancellationToken);
                else await Task.Delay(length, cancellationToken);
            }
            finally
            {
                await steered.HealAsync();
                _faults.Enqueue(new FaultEvent(name, at, DateTimeOffset.UtcNow));
            }
            return true;
        }
        finally
        {
            log.WriteLine($"  delay proxies relayed {proxies.Values.Sum(p => p.Connections)} connection(s), {proxies.Values.Sum(p => p.Bytes) / 1024.0:0} KiB");
            foreach (var proxy in proxies.Values) await proxy.DisposeAsync();
        }
    }

    /// <summary>A silo that stops itself while cut off or delayed is started again by the supervisor: its new process is kept in.</summary>
    private async Task FollowRestartsAsync(int silo, int pid, DateTimeOffset until, Partition partition, string state, CancellationToken cancellationToken)
    {
        for (var last = pid; DateTimeOffset.UtcNow < until; await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken))
        {
            if (Signals.ReadPidFile(target.SiloPidFile(silo)) is { } now && now != last && Signals.IsAlive(now))
            {
                await partition.IncludeAsync(now);
                last = now;
                log.WriteLine($"  {DateTimeOffset.UtcNow:HH:mm:ss.f} silo {silo} started again while {state}: its new process is {state} too");
            }
        }
    }

    private async Task FreezeAsync(string name, IReadOnlyList<int> pids, TimeSpan pause, CancellationToken cancellationToken)
    {
        var at = DateTimeOffset.UtcNow;
        foreach (var pid in pids) Signals.Send(pid, Signals.Stop);
        log.WriteLine($"  {at:HH:mm:ss.f} {name} (SIGSTOP to {pids.Count} process(es))");
        try
        {
            await Task.Delay(pause, cancellationToken);
        }
        finally
        {
            foreach (var pid in pids.Reverse()) Signals.Send(pid, Signals.Continue);
            _faults.Enqueue(new FaultEvent(name, at, DateTimeOffset.UtcNow));
            log.WriteLine($"  {DateTimeOffset.UtcNow:HH:mm:ss.f} SIGCONT");
        }
    }

    private async Task StartAgainAsync(int silo, string why)
    {
        await Task.Yield();
        var at = DateTimeOffset.UtcNow;
        try
        {
            _restarts.Enqueue(new SiloRestart(silo, at, why));
            var output = await target.Script.RunAsync(CancellationToken.None, "start", silo.ToString(System.Globalization.CultureInfo.InvariantCulture));
            log.WriteLine($"  {at:HH:mm:ss.f} silo {silo} {why}: started again, gateway open after {(DateTimeOffset.UtcNow - at).TotalSeconds:0.0} s ({output.Trim().Split('\n')[^1]})");
        }
        catch (InvalidOperationException e)
        {
            log.WriteLine($"  {at:HH:mm:ss.f} silo {silo} could not be started again: {e.Message.Split('\n')[0]}");
        }
        finally
        {
            _starting.TryRemove(silo, out _);
        }
    }

    private async Task<List<string>> AllServersAsync(CancellationToken cancellationToken)
    {
        var zones = await Patient.CallAsync((g, d) => clients.Topology(g).ListZonesAsync(new ListZonesRequest(), deadline: d, cancellationToken: cancellationToken).ResponseAsync, cancellationToken);
        var all = new List<string>();
        foreach (var zone in zones.Zones.Where(z => z.State == ZoneState.Active))
        {
            var token = "";
            do
            {
                var page = await Patient.CallAsync((g, d) => clients.Topology(g).ListServersAsync(
                    new ListServersRequest { Zone = zone.Id, PageSize = 500, PageToken = token }, deadline: d, cancellationToken: cancellationToken).ResponseAsync, cancellationToken);
                all.AddRange(page.Servers.Select(s => s.Id));
                token = page.NextPageToken;
            }
            while (token.Length > 0);
        }
        return all;
    }
}
