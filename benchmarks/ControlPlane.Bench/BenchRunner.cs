using System.Diagnostics;
using System.Reflection;

namespace ControlPlane.Bench;

/// <summary>Runs the phases against each target in turn and prints each target's report as soon as it is measured.</summary>
public sealed class BenchRunner(BenchOptions options, Teardown teardown, TextWriter output, TextWriter log)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        output.Write(Report.Machine(options));
        if (!options.IsEmbedded)
        {
            using var gateways = new Gateways(options.Endpoints, (options.CaCert, options.ClientCert, options.ClientKey));
            if (options.TenantSize > 0)
            {
                output.Write(await new ScalingModes(options, log).TenantSizeAsync(gateways, null, null, cancellationToken));
                return;
            }
            var run = await ThroughputAsync(gateways, $"endpoint {string.Join(", ", options.Endpoints)}", null, null, cancellationToken);
            output.Write(Report.Throughput(run, options));
            output.Write(Report.Notes());
            return;
        }

        var silo = SiloAssembly();
        var source = Path.Combine(Path.GetDirectoryName(silo)!, "topology", "default.json");
        if (!File.Exists(source)) throw new BenchException($"the default topology is not beside the silo: {source}");
        var work = Directory.CreateTempSubdirectory("controlplane-bench-");
        teardown.Register($"temporary folder {work.FullName}", () => work.Delete(recursive: true));
        log.WriteLine($"silo: {silo}; temporary files in {work.FullName}");

        var runs = new List<ThroughputRun>();
        foreach (var servers in options.Servers)
        {
            var topologyFile = Path.Combine(work.FullName, $"topology-{servers}.json");
            TopologyScaler.Write(TopologyScaler.Scale(TopologyScaler.Read(source), servers), topologyFile);
            log.WriteLine($"{servers:N0} servers: starting the silo ...");
            var process = await SiloProcess.StartAsync(silo, topologyFile, Path.Combine(work.FullName, $"silo-{servers}.log"), teardown, cancellationToken);
            log.WriteLine($"  silo pid {process.Pid} on {process.Endpoint}, answered after {process.StartupTime.TotalSeconds:F1} s");
            using var gateways = new Gateways([process.Endpoint]);
            if (options.IsScalingMode)
            {
                var scaling = new ScalingModes(options, log);
                output.Write(options.TenantSize > 0
                    ? await scaling.TenantSizeAsync(gateways, process, servers, cancellationToken)
                    : await scaling.TenantCountAsync(gateways, process, servers, cancellationToken));
            }
            else if (options.IsMemoryMode)
            {
                output.Write(Report.Memory(await MemoryAsync(gateways, process, servers, cancellationToken)));
            }
            else
            {
                var run = await ThroughputAsync(gateways, $"embedded, {servers:N0} servers", process, servers, cancellationToken);
                runs.Add(run);
                output.Write(Report.Throughput(run, options));
            }
            // Each size has its own silo: stop this one (and free its memory) before the next starts.
            process.Stop();
        }
        if (runs.Count > 1) output.Write(Report.Scaling(runs));
        if (runs.Count > 0) output.Write(Report.Notes());
    }

    private async Task<ThroughputRun> ThroughputAsync(Gateways gateways, string label, SiloProcess? silo, int? servers, CancellationToken cancellationToken)
    {
        var workload = new Workload(gateways, options, log);
        var probe = new UsageProbe(silo is null ? options.SiloPids : [silo.Pid]);
        await workload.PrepareAsync(cancellationToken);
        var settling = await SettleAsync(workload, probe, silo, cancellationToken);

        // Once settled, the no-op first, closed loop then paced at half its maximum: the baseline. Then CreateInstance, closed loop; then, paced, at half the no-op's
        // maximum, or at a share of its own maximum when it cannot reach that (the rate it sustains),
        // with the no-op at that same rate just before it. Each create phase ends by deleting what it made.
        var ping = await ClosedAsync("Ping", workload.PingAsync, probe, silo, cancellationToken);
        var residentAfterWarmup = silo?.ResidentBytes();
        var half = ping.Throughput / 2;
        var pingPaced = await PacedAsync("Ping", workload.PingAsync, half, probe, silo, cancellationToken);

        var baseline = await workload.InstanceCountAsync(cancellationToken);
        var create = await ClosedAsync("CreateInstance", workload.CreateAsync, probe, silo, cancellationToken);
        await workload.DeleteCreatedAsync(baseline, cancellationToken);

        var createRate = create.Throughput >= half ? half : options.CreateShare * create.Throughput;
        var pingAtCreateRate = createRate < half ? await PacedAsync("Ping", workload.PingAsync, createRate, probe, silo, cancellationToken) : null;
        var createPaced = await PacedAsync("CreateInstance", workload.CreateAsync, createRate, probe, silo, cancellationToken);
        await workload.DeleteCreatedAsync(baseline, cancellationToken);

        return new ThroughputRun(label, silo is not null, servers ?? workload.ServerCount, silo?.StartupTime, residentAfterWarmup,
            silo?.ResidentBytes(), silo?.PeakResidentBytes(), ping, create, pingPaced, createPaced, pingAtCreateRate) { Settling = settling };
    }

    /// <summary>Below this share of the silos' CPU in their tier-up threads, a round counts as settled.</summary>
    public const double SettledTierUpShare = 0.02;

    /// <summary>
    /// Rounds of the no-op then CreateInstance (closed loop, the warm-up's length each, at least 5 s, the creates deleted
    /// after each round) until the silos' tier-up threads used under <see cref="SettledTierUpShare"/> of their CPU in a
    /// round, or <see cref="BenchOptions.Settle"/> has passed. A fresh silo compiles its hot methods again, optimised,
    /// for minutes under load; measured meanwhile, the no-op (cheap, so the JIT's share of it large) comes out slower
    /// than it is, and every ratio to it better than it is.
    /// </summary>
    private async Task<Settling?> SettleAsync(Workload workload, UsageProbe probe, SiloProcess? silo, CancellationToken cancellationToken)
    {
        if (options.Settle <= TimeSpan.Zero || !probe.KnowsSilos) return null;
        var round = TimeSpan.FromSeconds(Math.Max(5, options.Warmup.TotalSeconds));
        var baseline = await workload.InstanceCountAsync(cancellationToken);
        var watch = Stopwatch.StartNew();
        var shares = new List<double>();
        while (true)
        {
            var start = probe.Take();
            await ClosedLoop.RunAsync("Ping", workload.PingAsync, options.Concurrency, round, probe, cancellationToken);
            await ClosedLoop.RunAsync("CreateInstance", workload.CreateAsync, options.Concurrency, round, probe, cancellationToken);
            await workload.DeleteCreatedAsync(baseline, cancellationToken);
            silo?.EnsureRunning();
            var share = probe.Since(start).TierUpShare;
            shares.Add(share);
            log.WriteLine($"  settling, round {shares.Count}: the tier-up (JIT) threads used {Report.Percent(share)} of the silos' CPU");
            if (double.IsNaN(share) || share < SettledTierUpShare || watch.Elapsed >= options.Settle) break;
        }
        return new Settling(shares, watch.Elapsed);
    }

    private async Task<MemoryRun> MemoryAsync(Gateways gateways, SiloProcess silo, int servers, CancellationToken cancellationToken)
    {
        var workload = new Workload(gateways, options, log);
        var probe = new UsageProbe([silo.Pid]);
        await workload.PrepareAsync(cancellationToken);
        await ClosedAsync("Ping", workload.PingAsync, probe, silo, cancellationToken);
        var before = silo.ResidentBytes();
        log.WriteLine($"  creating {options.Instances:N0} instances over {options.Tenants:N0} tenants, {options.Concurrency} at a time ...");
        var fill = await ClosedLoop.RunAsync("CreateInstance", workload.CreateAsync, options.Concurrency, TimeSpan.FromHours(1), probe,
            cancellationToken, maxCalls: options.Instances);
        silo.EnsureRunning();
        log.WriteLine($"  {fill.Succeeded:N0} acknowledged in {fill.Duration.TotalSeconds:F1} s; waiting for the last operations to end ...");
        var unfinished = await workload.WaitForLastOperationsAsync(1000, cancellationToken);
        return new MemoryRun(servers, options.Tenants, silo.StartupTime, before, fill, silo.ResidentBytes(), silo.PeakResidentBytes(), unfinished);
    }

    /// <summary>A warm-up (not measured), then the measured closed-loop phase.</summary>
    private async Task<LoadResult> ClosedAsync(string method, BenchCall call, UsageProbe probe, SiloProcess? silo, CancellationToken cancellationToken)
    {
        if (options.Warmup > TimeSpan.Zero)
        {
            log.WriteLine($"  {method}: warm-up, {options.Warmup.TotalSeconds:0.#} s ...");
            await ClosedLoop.RunAsync(method, call, options.Concurrency, options.Warmup, probe, cancellationToken);
        }
        log.WriteLine($"  {method}: closed loop, {options.Concurrency} workers, {options.Duration.TotalSeconds:0.#} s ...");
        var result = await ClosedLoop.RunAsync(method, call, options.Concurrency, options.Duration, probe, cancellationToken);
        silo?.EnsureRunning();
        log.WriteLine($"    {Report.Summary(result)}");
        return result;
    }

    private async Task<LoadResult> PacedAsync(string method, BenchCall call, double rate, UsageProbe probe, SiloProcess? silo, CancellationToken cancellationToken)
    {
        log.WriteLine($"  {method}: paced at {rate:N0} calls/s, {options.Concurrency} callers, {options.Duration.TotalSeconds:0.#} s ...");
        var result = await PacedLoad.RunAsync(method, call, rate, options.Duration, options.Concurrency, probe, cancellationToken);
        silo?.EnsureRunning();
        log.WriteLine($"    {Report.Summary(result)}");
        return result;
    }

    private string SiloAssembly()
    {
        var path = options.SiloPath ?? typeof(BenchRunner).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .First(a => a.Key == "SiloAssembly").Value!;
        return File.Exists(path) ? Path.GetFullPath(path)
            : throw new BenchException($"the silo is not built at {path}: build it (dotnet build -c Release silos/ControlPlane.Silo) or pass --silo PATH");
    }
}
