using System.Text;
using System.Text.Json;

namespace ControlPlane.Replay;

/// <summary>The replay's results as a table for people or as JSON for scripts.</summary>
public static class Report
{
    public const string Citation =
        "Trace: Alibaba cluster-trace-gpu-v2023 (openb), published with Weng et al., \"Beware of Fragmentation: Scheduling " +
        "GPU-Sharing Workloads with Fragmentation Gradient Descent\", USENIX ATC 2023.";

    public static readonly IReadOnlyList<string> Definitions =
    [
        "placed / rejected: requests (pods) that got a server / that no server could take when they arrived; " +
            "events in time order, at one time departures before arrivals.",
        "peak servers in use: the most servers holding at least one request at the same time.",
        "stranded at peak: when that peak is first reached, the free cores, memory and GPUs of the servers in use " +
            "on which no request shape of the trace (its distinct cpu/memory/GPU/model combinations) fits any more, " +
            "because some dimension (CPU, memory, or the free share of enough single GPUs) is exhausted.",
        "GPUs are accounted one by one for every policy: a 460-thousandths share takes 460 of one GPU, " +
            "on the fullest GPU that still holds it; gpu_spec, when present, restricts the GPU model.",
        "µs per placement: mean wall time of the policy's decision and of what it learns from it (for ControlPlane " +
            "CapacityIndex.Choose, the retries after refusals and CapacityIndex.Update), one thread, after a warm-up replay.",
        "FirstFit: the first server in node-list order that fits. BestFit: among servers that fit, the least CPU + memory " +
            "left, each as a share of the server's capacity (GPU-unaware). ControlPlane: the real CapacityIndex, as the zone " +
            "grain uses it; \"no retry limit\" tells what its scoring does when refusals do not count against the limit " +
            "(not part of the verdict).",
    ];

    public static string Table(Trace trace, ReplayOptions options, IReadOnlyList<PolicyResult> results, Verdict verdict)
    {
        var text = new StringBuilder();
        text.AppendLine($"Trace {trace.Folder}: {trace.Nodes.Count:N0} servers as one zone, {trace.Pods.Count:N0} requests, " +
            $"replayed {(options.NoDeletions ? "without deletions (the cluster fills up)" : "with deletions")}; {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        text.AppendLine();
        const string row = "{0,-28} {1,7} {2,9} {3,20} {4,38} {5,17}";
        text.AppendLine(string.Format(row, "policy", "placed", "rejected", "peak servers in use", "stranded at peak (cores / GiB / GPUs)", "µs per placement"));
        foreach (var r in results)
        {
            var stranded = $"{r.StrandedAtPeak.Cores:F1} / {r.StrandedAtPeak.MemoryGib:F1} / {r.StrandedAtPeak.Gpus:F2}";
            text.AppendLine(string.Format(row, r.Policy, r.Placed.ToString("N0"), r.Rejected.ToString("N0"), r.PeakServersInUse,
                stranded, r.MicrosecondsPerPlacement.ToString("F1")));
        }
        text.AppendLine();
        var controlPlane = results[0];
        text.AppendLine($"ControlPlane peak servers / better baseline ({verdict.BetterBaseline.Policy}) peak servers: " +
            $"{controlPlane.PeakServersInUse} / {verdict.BetterBaseline.PeakServersInUse} = {verdict.PeakServersRatio:F2}; " +
            $"target (≤ {Verdict.TargetRatio:F2} without more rejections, or fewer rejections with no more servers): " +
            (verdict.TargetMet ? "MET" : "NOT MET"));
        text.AppendLine();
        foreach (var note in results.Select(r => r.Note).Where(n => n.Length > 0)) text.AppendLine(note);
        foreach (var definition in Definitions) text.AppendLine($"- {definition}");
        text.AppendLine(Citation);
        return text.ToString();
    }

    public static string Json(Trace trace, ReplayOptions options, IReadOnlyList<PolicyResult> results, Verdict verdict) =>
        JsonSerializer.Serialize(new
        {
            trace = trace.Folder,
            servers = trace.Nodes.Count,
            requests = trace.Pods.Count,
            deletions = !options.NoDeletions,
            processorCount = Environment.ProcessorCount,
            runtime = Environment.Version.ToString(),
            policies = results.Select(r => new
            {
                policy = r.Policy,
                placed = r.Placed,
                rejected = r.Rejected,
                peakServersInUse = r.PeakServersInUse,
                peakTime = r.PeakTime,
                strandedAtPeak = new { cores = r.StrandedAtPeak.Cores, memoryGib = r.StrandedAtPeak.MemoryGib, gpus = r.StrandedAtPeak.Gpus },
                microsecondsPerPlacement = r.MicrosecondsPerPlacement,
                note = r.Note,
            }),
            betterBaseline = verdict.BetterBaseline.Policy,
            peakServersRatio = verdict.PeakServersRatio,
            targetRatio = Verdict.TargetRatio,
            targetMet = verdict.TargetMet,
            definitions = Definitions,
            citation = Citation,
        }, new JsonSerializerOptions { WriteIndented = true });
}
