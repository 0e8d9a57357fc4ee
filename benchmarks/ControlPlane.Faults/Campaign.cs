using ControlPlane.Contracts.V1;
using ControlPlane.Faults.Analysis;
using ControlPlane.Faults.Checks;
using ControlPlane.Faults.Cluster;
using ControlPlane.Faults.Load;
using ControlPlane.Faults.Reporting;
using ControlPlane.Faults.Scenarios;

namespace ControlPlane.Faults;

/// <summary>
/// The fault campaign against a running cluster: tenants of its own, then for each scenario load →
/// faults → recovery → checks. A silo found down is started again throughout, as a supervisor would.
/// </summary>
public sealed class Campaign(ClusterTarget target, CampaignOptions options, TextWriter log) : IDisposable
{
    private const int TenantCount = 4;
    private static readonly Resources Unlimited = new() { Cores = 10_000_000, MemoryMib = 40_000_000_000, Gpus = 0 };

    /// <summary>An operation storage lists unfinished for longer than this (three recovery sweeps at the default period) is stuck.</summary>
    private static readonly TimeSpan StuckAfter = TimeSpan.FromSeconds(45);

    private readonly ClusterClients _clients = new(target);
    private readonly string _runId = "f" + Guid.NewGuid().ToString("N")[..7];

    public async Task<CampaignResult> RunAsync(IReadOnlyList<Scenario> scenarios, string command, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        log.WriteLine($"fault campaign {_runId}: {string.Join(", ", scenarios.Select(s => s.Name))} at {options.Rate} requests/s, seed {options.Seed}");
        var driver = new ClusterDriver(target, _clients, log);
        await driver.EnsureUpAsync();
        var (tenants, regions) = await PrepareAsync(cancellationToken);
        var random = new Random(options.Seed);
        var results = new List<ScenarioResult>();
        foreach (var scenario in scenarios)
        {
            results.Add(await RunScenarioAsync(scenario, driver, tenants, regions, new Random(random.Next()), cancellationToken));
        }
        return new CampaignResult(started, DateTimeOffset.UtcNow, options.Rate, options.Seed, command, results);
    }

    public void Dispose() => _clients.Dispose();

    /// <summary>The campaign's tenants (quota without limit, every production region allowed) and the regions it creates in.</summary>
    private async Task<(IReadOnlyList<string> Tenants, IReadOnlyList<string> Regions)> PrepareAsync(CancellationToken cancellationToken)
    {
        var listed = await Patient.CallAsync((g, d) => _clients.Topology(g).ListRegionsAsync(new ListRegionsRequest(), deadline: d, cancellationToken: cancellationToken).ResponseAsync, cancellationToken);
        var regions = listed.Regions.Where(r => r.Role == RegionRole.Production && r.ServerCount > 0).Select(r => r.Id).Order(StringComparer.Ordinal).ToList();
        if (regions.Count == 0) throw new InvalidOperationException("the cluster lists no production region with servers");
        var tenants = Enumerable.Range(1, TenantCount).Select(i => $"faults-{_runId}-{i}").ToList();
        foreach (var tenant in tenants)
        {
            var request = new CreateTenantRequest { Id = tenant, DisplayName = $"fault campaign {_runId} tenant {tenant}", Quota = Unlimited };
            request.AllowedRegions.AddRange(regions);
            try
            {
                await Patient.CallAsync((g, d) => _clients.Tenants(g).CreateTenantAsync(request, deadline: d, cancellationToken: cancellationToken).ResponseAsync, cancellationToken);
            }
            catch (Grpc.Core.RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.AlreadyExists)
            {
                // a retried create that had in fact been made
            }
        }
        log.WriteLine($"  tenants {string.Join(", ", tenants)}; creating in {string.Join(", ", regions)}");
        return (tenants, regions);
    }

    private async Task<ScenarioResult> RunScenarioAsync(Scenario scenario, ClusterDriver driver, IReadOnlyList<string> tenants, IReadOnlyList<string> regions, Random random, CancellationToken cancellationToken)
    {
        log.WriteLine();
        log.WriteLine($"[{scenario.Name}] {scenario.Description}");
        await driver.EnsureUpAsync();
        var started = DateTimeOffset.UtcNow;
        var history = new History();
        var watch = new OperationWatch(_clients, history);
        var plan = new LoadPlan($"{_runId}-{scenario.Name}", options.Rate, tenants, regions);
        var load = new LoadGenerator(_clients, plan, history, watch.Deletable);
        var context = new FaultContext(driver, _clients, random, log, options.Duration);
        var faultsBefore = driver.Faults.Count;
        var restartsBefore = driver.Restarts.Count;
        var logsBefore = Enumerable.Range(1, target.Silos).Select(n => ProcessAborts.Length(target.SiloLog(n))).ToList();

        using var stopLoad = new CancellationTokenSource();
        using var stopWatch = new CancellationTokenSource();
        using var stopSupervisor = new CancellationTokenSource();
        var supervisor = driver.SuperviseAsync(stopSupervisor.Token);
        var watching = watch.RunAsync(stopWatch.Token);
        var loading = load.RunAsync(stopLoad.Token, cancellationToken);
        try
        {
            await Task.Delay(options.Warmup, cancellationToken);
            // A fault that could not be injected as planned fails its scenario, not the campaign: the
            // cluster is still checked and the other scenarios still run.
            var injectionErrors = new List<string>();
            try
            {
                await scenario.InjectAsync(context, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                injectionErrors.Add($"{e.GetType().Name}: {e.Message}");
                log.WriteLine($"  {DateTimeOffset.UtcNow:HH:mm:ss.f} the fault could not be injected as planned: {e.GetType().Name}: {e.Message}");
            }
            var faults = driver.Faults.Skip(faultsBefore).ToList();
            var lastFault = faults.Count > 0 ? faults.Max(f => f.End) : DateTimeOffset.UtcNow;
            await driver.EnsureUpAsync();
            await DelayUntilAsync(lastFault + options.Recovery, cancellationToken);
            stopLoad.Cancel();
            await loading;
            await SettleAsync(history, watch, lastFault + options.SettleAfterFault, cancellationToken);
            await stopWatch.CancelAsync();
            await watching;

            log.WriteLine($"  {DateTimeOffset.UtcNow:HH:mm:ss.f} reading the cluster for the checks ...");
            var requests = history.Requests;
            // Unfinished for longer than three recovery sweeps (15 s each by default), and since before the last fault ended.
            var stuckBefore = new[] { lastFault, DateTimeOffset.UtcNow - StuckAfter }.Min();
            var snapshot = await new SnapshotReader(_clients, target.ConnectionString).ReadAsync(requests, tenants, stuckBefore, cancellationToken);
            context.Notes.Enqueue(snapshot.Coverage);
            await stopSupervisor.CancelAsync();
            await supervisor;
            var hostileStatuses = context.ExtraStatusCounts.OrderBy(c => c.Key, StringComparer.Ordinal).ToDictionary(c => c.Key, c => c.Value);
            var checks = SafetyChecks.Evaluate(requests, watch.Terminal, watch.Reopened, snapshot, hostileStatuses).ToList();
            checks.Add(ProcessAborts.Check(logsBefore.SelectMany((offset, i) => ProcessAborts.LinesAfter(target.SiloLog(i + 1), offset))));
            if (injectionErrors.Count > 0) checks.Add(CheckResult.Of("the fault was injected as planned", injectionErrors, safety: false));
            if (!context.ExtraViolations.IsEmpty || hostileStatuses.Count > 0)
            {
                checks.Add(CheckResult.Of("hostile requests answered as documented", context.ExtraViolations, safety: false));
            }
            var historyFile = Path.Combine(ArtifactsDir(), $"{started:yyyyMMdd-HHmmss}-{scenario.Name}.jsonl");
            await history.WriteAsync(historyFile, cancellationToken);
            return new ScenarioResult(
                scenario.Name, scenario.Description, started, DateTimeOffset.UtcNow,
                requests.Count, requests.Count(r => r.Acknowledged), faults,
                [.. faults.Select(f => new FaultWindow(f.Name, f.Start, f.End, HistoryAnalysis.FaultWindow(requests, f).Length.TotalSeconds))],
                HistoryAnalysis.LongestGap(requests).Length.TotalSeconds,
                [.. driver.Restarts.Skip(restartsBefore).Select(r => new RestartMeasure(r.Silo, r.Started, r.Why, HistoryAnalysis.RestartToServing(requests, r)?.TotalSeconds))],
                HistoryAnalysis.StatusCounts(requests), hostileStatuses,
                HistoryAnalysis.AcknowledgedWithin(requests, TimeSpan.FromSeconds(15)),
                checks.First(c => c.Name.StartsWith("operations terminal", StringComparison.Ordinal)).Violations,
                checks, [.. context.Notes], historyFile);
        }
        finally
        {
            await stopLoad.CancelAsync();
            await stopWatch.CancelAsync();
            await stopSupervisor.CancelAsync();
        }
    }

    private string ArtifactsDir() => options.ArtifactsDir ?? Path.Combine(target.Script.RepositoryRoot, "artifacts", "faults");

    /// <summary>
    /// Waits until every acknowledged operation has been seen terminal and none changed for
    /// <see cref="CampaignOptions.SettleQuiet"/> (the watch keeps looking again at terminal ones), or until
    /// <paramref name="deadline"/>: the checks then count what is still open as stuck.
    /// </summary>
    private async Task SettleAsync(History history, OperationWatch watch, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        DateTimeOffset? allTerminalSince = null;
        while (DateTimeOffset.UtcNow < deadline)
        {
            var open = history.Acknowledged.Select(r => r.OperationId).OfType<string>().Count(id => !watch.Terminal.ContainsKey(id));
            if (open > 0 || watch.Reopened.Count > 0) allTerminalSince = null;
            else if (allTerminalSince is null) allTerminalSince = DateTimeOffset.UtcNow;
            else if (DateTimeOffset.UtcNow - allTerminalSince >= options.SettleQuiet) break;
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
        log.WriteLine($"  {DateTimeOffset.UtcNow:HH:mm:ss.f} settled: {(DateTimeOffset.UtcNow < deadline ? "every operation terminal" : "deadline reached")}");
    }

    private static async Task DelayUntilAsync(DateTimeOffset when, CancellationToken cancellationToken)
    {
        var wait = when - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait, cancellationToken);
    }
}
