using System.Globalization;
using System.Reflection;
using System.Text;
using Grpc.Core;

namespace ControlPlane.Bench;

/// <summary>The benchmark's results as text: a table per target, the ratios against their targets, the scaling.</summary>
public static class Report
{
    private const string Row = "{0,-15} {1,-19} {2,9} {3,9} {4,8} {5,8} {6,8} {7,8} {8,6} {9,-22} {10,8} {11,9} {12,5} {13,6}";

    public static readonly IReadOnlyList<string> Definitions =
    [
        "calls/s: successful calls that ended within the measured window, per second; a paced phase's is the rate it achieved.",
        "p50/p95/p99/max: latency of the successful calls in ms, nearest-rank; closed loop: from send to answer; paced: from when " +
            "the call was due if its caller was still busy with the previous one (so a server that falls behind shows), else from send.",
        "paced: open loop, calls due at a fixed rate and issued by a pool of callers as many as the closed loop's workers; " +
            "late: share of the calls sent more than 1 ms after they were due because every caller was busy.",
        "errors: failed calls by gRPC status code.",
        "silo/client CPU: CPU time of the silo process(es) / of this tool per successful call, in µs (endpoint: the silos named by --silo-pids); " +
            "busy: average busy cores of the whole machine; jit: share of the silos' CPU used by their tier-up (background JIT) threads.",
        "Ping is Diagnostics.Ping, a no-op answered by the gateway without grain call; CreateInstance is acknowledged when admission " +
            "(quota, placement, capacity held) is done, the agent's work follows.",
        "settling: before the phases, rounds of Ping and CreateInstance until the silos' tier-up threads use under 2 % of their CPU " +
            "(--settle): a silo that is still compiling its hot code makes the no-op look slower, and every ratio to it better, than it is.",
        "order: [settling,] Ping closed, Ping paced at half its maximum, CreateInstance closed, " +
            "[Ping paced at CreateInstance's paced rate], CreateInstance paced; the instances of each create phase are deleted after it.",
    ];

    public static string Machine(BenchOptions options)
    {
        var configuration = typeof(Report).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "Configuration")?.Value;
        return $"ControlPlane.Bench ({configuration} build): {Environment.ProcessorCount} cores, {MemoryGib()} GiB memory, .NET {Environment.Version}; " +
            $"{options.Concurrency} workers, {options.Duration.TotalSeconds:0.#} s per phase after {options.Warmup.TotalSeconds:0.#} s of warm-up; " +
            $"{options.Tenants:N0} tenants; creates of {options.Size}, each naming {(options.PlaceByRegion ? "a region (the control plane picks the zone)" : "a zone, every zone in turn")}\n";
    }

    public static string Throughput(ThroughputRun run, BenchOptions options)
    {
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine($"== {run.Label} ==");
        if (run.Startup is { } startup) text.AppendLine($"silo answered {startup.TotalSeconds:F1} s after its start");
        if (run.Settling is { } settling)
        {
            text.AppendLine($"settling: {settling.TierUpShares.Count} round(s) in {settling.Elapsed.TotalSeconds:F0} s, the tier-up (JIT) threads' share of the silos' CPU " +
                string.Join(" → ", settling.TierUpShares.Select(Percent)) + (settling.Settled ? "" : $" (NOT settled under {Percent(BenchRunner.SettledTierUpShare)}: raise --settle)"));
        }
        text.AppendLine(Header());
        foreach (var phase in new[] { run.Ping, run.Create, run.PingPaced, run.CreatePaced, run.PingAtCreateRate }.OfType<LoadResult>())
        {
            text.AppendLine(Line(phase));
        }
        text.AppendLine();
        if (run.ResidentAfterWarmup is { } warm)
        {
            text.AppendLine($"silo resident memory (VmRSS): {Mib(warm)} MiB after warm-up, {Mib(run.ResidentAtEnd)} MiB at the end (peak VmHWM {Mib(run.PeakResident)} MiB)");
        }

        var target = run.Embedded ? Verdict.EmbeddedThroughputRatio : Verdict.DurableThroughputRatio;
        var where = run.Embedded ? "embedded, set for 10,000 servers" : "durable mode, 3 silos + PostgreSQL";
        text.AppendLine($"CreateInstance / Ping throughput (closed loop, {options.Concurrency} workers): " +
            $"{run.Create.Throughput:N0} / {run.Ping.Throughput:N0} = {run.ThroughputRatio:F3}; target ≥ {Verdict.Number(target)} ({where}): " +
            Verdict.AtLeast(run.ThroughputRatio, target));
        text.AppendLine($"half the no-op's maximum: {run.HalfNoOpRate:N0} calls/s; Ping achieved {run.PingPaced.Throughput:N0}/s" +
            (run.PingPaced.Sustained ? "" : " (NOT sustained)"));
        if (run.PingAtCreateRate is null)
        {
            text.AppendLine($"CreateInstance achieved {run.CreatePaced.Throughput:N0}/s at that rate" + (run.CreatePaced.Sustained ? "" : " (NOT sustained)"));
            text.AppendLine($"CreateInstance p99 / Ping p99 at {run.HalfNoOpRate:N0} calls/s: {run.CreatePaced.Latency.P99:F2} / {run.PingPaced.Latency.P99:F2} ms = " +
                $"{Verdict.Number(run.P99Ratio)}; target ≤ {Verdict.P99Ratio:0}: {Verdict.AtMost(run.P99Ratio, Verdict.P99Ratio)}");
        }
        else
        {
            var rate = run.CreatePaced.TargetRate!.Value;
            text.AppendLine($"CreateInstance cannot reach that rate (at most {run.Create.Throughput:N0}/s in the closed loop): it ran paced at " +
                $"{options.CreateShare:P0} of its maximum, {rate:N0}/s, and achieved {run.CreatePaced.Throughput:N0}/s" +
                (run.CreatePaced.Sustained ? "" : " (NOT sustained)"));
            text.AppendLine($"CreateInstance p99 at {rate:N0}/s / Ping p99 at {run.HalfNoOpRate:N0}/s: {run.CreatePaced.Latency.P99:F2} / {run.PingPaced.Latency.P99:F2} ms = " +
                $"{Verdict.Number(run.P99Ratio)}; target ≤ {Verdict.P99Ratio:0} (at half the no-op's maximum, which CreateInstance does not reach): " +
                Verdict.AtMost(run.P99Ratio, Verdict.P99Ratio));
            var sameRate = run.CreatePaced.Latency.P99 / run.PingAtCreateRate.Latency.P99;
            text.AppendLine($"at the same rate, {rate:N0}/s: CreateInstance p99 / Ping p99 = {run.CreatePaced.Latency.P99:F2} / {run.PingAtCreateRate.Latency.P99:F2} ms = {Verdict.Number(sameRate)}");
        }
        return text.ToString();
    }

    public static string Notes()
    {
        var text = new StringBuilder();
        text.AppendLine();
        foreach (var definition in Definitions) text.AppendLine($"- {definition}");
        return text.ToString();
    }

    public static string Scaling(IReadOnlyList<ThroughputRun> runs)
    {
        var text = new StringBuilder();
        var reference = runs.FirstOrDefault(r => r.Servers == 1_000) ?? runs.MinBy(r => r.Servers)!;
        const string row = "{0,9} {1,9} {2,14} {3,12} {4,16} {5,8} {6,17} {7,13}";
        text.AppendLine();
        text.AppendLine("== scaling: one silo per topology size, same load ==");
        text.AppendLine(string.Format(CultureInfo.InvariantCulture, row, "servers", "start s", "RSS warm MiB", "Ping/s", "CreateInstance/s", "ratio",
            "Create p99 ms *", $"vs {reference.Servers:N0}"));
        foreach (var run in runs)
        {
            text.AppendLine(string.Format(CultureInfo.InvariantCulture, row, run.Servers.ToString("N0", CultureInfo.InvariantCulture),
                run.Startup?.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) ?? "-", Mib(run.ResidentAfterWarmup),
                run.Ping.Throughput.ToString("N0", CultureInfo.InvariantCulture), run.Create.Throughput.ToString("N0", CultureInfo.InvariantCulture),
                run.ThroughputRatio.ToString("F3", CultureInfo.InvariantCulture), run.CreatePaced.Latency.P99.ToString("F2", CultureInfo.InvariantCulture),
                (run.Create.Throughput / reference.Create.Throughput).ToString("F2", CultureInfo.InvariantCulture)));
        }
        text.AppendLine("* paced, at the rate of that size's CreateInstance phase (see its table)");
        var large = runs.FirstOrDefault(r => r.Servers == 10_000);
        if (large is not null && reference.Servers == 1_000)
        {
            var ratio = large.Create.Throughput / reference.Create.Throughput;
            text.AppendLine($"CreateInstance throughput with 10,000 servers / with 1,000: {large.Create.Throughput:N0} / {reference.Create.Throughput:N0} = {ratio:F2}; " +
                $"target ≥ {Verdict.ScalingRatio}: {Verdict.AtLeast(ratio, Verdict.ScalingRatio)}");
        }
        return text.ToString();
    }

    public static string Memory(MemoryRun run)
    {
        var text = new StringBuilder();
        var acknowledged = run.Fill.Succeeded;
        text.AppendLine();
        text.AppendLine($"== memory: embedded, {run.Servers:N0} servers, {acknowledged:N0} instances over {run.Tenants:N0} tenants ==");
        text.AppendLine($"silo answered {run.Startup.TotalSeconds:F1} s after its start");
        text.AppendLine($"silo resident memory (VmRSS) after warm-up: {Mib(run.ResidentAfterWarmup)} MiB");
        text.AppendLine($"creates: {acknowledged:N0} acknowledged in {run.Fill.Duration.TotalSeconds:F1} s ({run.Fill.Throughput:N0}/s, " +
            $"p50 {run.Fill.Latency.P50:F2} ms, p99 {run.Fill.Latency.P99:F2} ms), errors: {Errors(run.Fill)}");
        text.AppendLine($"silo resident memory (VmRSS) after them: {Mib(run.ResidentAfterFill)} MiB (peak VmHWM {Mib(run.PeakResident)} MiB)" +
            (run.Unfinished > 0 ? $"; {run.Unfinished} of the last 1,000 operations had not ended" : "; the last 1,000 operations had ended"));
        if (run.ResidentAfterWarmup is { } before && run.ResidentAfterFill is { } after && acknowledged > 0)
        {
            text.AppendLine($"growth: {Mib(after - before)} MiB, {(after - before) / 1024.0 / acknowledged:F1} KiB per instance " +
                "(its operation and instance grains and records, the tenant's and server's entries, in-process storage)");
        }
        return text.ToString();
    }

    /// <summary>One line of progress for a finished phase.</summary>
    public static string Summary(LoadResult r) =>
        $"{r.Throughput:N0} calls/s, p50 {r.Latency.P50:F2} ms, p99 {r.Latency.P99:F2} ms, errors: {Errors(r)}" +
        (r.TargetRate is null ? "" : $", late: {Late(r)}");

    private static string Header() =>
        string.Format(CultureInfo.InvariantCulture, Row, "method", "load", "target/s", "calls/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "late", "errors",
            "silo µs", "client µs", "busy", "jit");

    private static string Line(LoadResult r)
    {
        var perCall = (TimeSpan? cpu) => cpu is { } t && r.Succeeded > 0 ? (t.TotalMicroseconds / r.Succeeded).ToString("F0", CultureInfo.InvariantCulture) : "-";
        return string.Format(CultureInfo.InvariantCulture, Row, r.Method, r.Load,
            r.TargetRate?.ToString("N0", CultureInfo.InvariantCulture) ?? "-", r.Throughput.ToString("N0", CultureInfo.InvariantCulture),
            Ms(r.Latency.P50), Ms(r.Latency.P95), Ms(r.Latency.P99), Ms(r.Latency.Max), Late(r), Errors(r),
            perCall(r.Use.SiloCpu), perCall(r.Use.ClientCpu), double.IsNaN(r.Use.MachineBusyCores) ? "-" : r.Use.MachineBusyCores.ToString("F2", CultureInfo.InvariantCulture),
            Percent(r.Use.TierUpShare));
    }

    public static string Errors(LoadResult r)
    {
        var parts = r.Errors.OrderBy(e => e.Key).Select(e => $"{Name(e.Key)} {e.Value:N0}").ToList();
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    private static string Name(StatusCode code) => code switch
    {
        StatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        StatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
        StatusCode.FailedPrecondition => "FAILED_PRECONDITION",
        StatusCode.AlreadyExists => "ALREADY_EXISTS",
        StatusCode.InvalidArgument => "INVALID_ARGUMENT",
        StatusCode.NotFound => "NOT_FOUND",
        StatusCode.PermissionDenied => "PERMISSION_DENIED",
        _ => code.ToString().ToUpperInvariant(),
    };

    private static string Late(LoadResult r) => r.TargetRate is { } rate
        ? (100.0 * r.Late / Math.Max(1, Math.Round(rate * r.Duration.TotalSeconds))).ToString("F1", CultureInfo.InvariantCulture) + " %"
        : "-";

    public static string Percent(double share) => double.IsNaN(share) ? "-" : (100 * share).ToString("F1", CultureInfo.InvariantCulture) + " %";

    private static string Ms(double ms) => double.IsNaN(ms) ? "-" : ms.ToString(ms >= 100 ? "F0" : "F2", CultureInfo.InvariantCulture);

    private static string Mib(long? bytes) => bytes is { } b ? (b / 1024.0 / 1024).ToString("N0", CultureInfo.InvariantCulture) : "-";

    private static string MemoryGib()
    {
        var total = ProcStats.StatusField(File.Exists("/proc/meminfo") ? File.ReadAllText("/proc/meminfo") : "", "MemTotal");
        return total is { } kib ? (kib / 1024.0 / 1024).ToString("F1", CultureInfo.InvariantCulture) : "?";
    }
}
