using ControlPlane.Replay;
if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(ReplayOptions.Usage);
    return 0;
}
var (options, error) = ReplayOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine(ReplayOptions.Usage);
    return 2;
}

Trace trace;
try
{
    trace = Trace.Load(options.TraceFolder);
}
catch (TraceException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine($"Pass the folder that holds {Trace.NodeFile} and {Trace.PodFile} with --trace DIR.");
    return 1;
}

var events = ReplayEvent.Of(trace.Pods, departures: !options.NoDeletions);
var shapes = Replayer.Shapes(trace);
Func<SimulatedCluster, IPlacementPolicy>[] policies =
[
    cluster => new ControlPlanePolicy(cluster),
    cluster => new FirstFitPolicy(cluster),
    cluster => new BestFitPolicy(cluster),
    cluster => new ControlPlanePolicy(cluster, unlimited: true),
];
// The first replay of each policy warms the JIT; the second is the one measured.
foreach (var create in policies) Replayer.Run(trace, events, shapes, create);
var results = policies.Select(create => Replayer.Run(trace, events, shapes, create)).ToList();
var verdict = Verdict.Of(results[0], results.Where(r => r.Policy is "FirstFit" or "BestFit"));

Console.Write(options.Json ? Report.Json(trace, options, results, verdict) + Environment.NewLine : Report.Table(trace, options, results, verdict));
return 0;
