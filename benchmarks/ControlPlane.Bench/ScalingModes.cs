using System.Globalization;
using System.Text;

namespace ControlPlane.Bench;

/// <summary>
/// Whether a create costs more as the platform or a tenant grows: CreateTenant's rate once N tenants exist
/// (<see cref="TenantCountAsync"/>), and CreateInstance's rate into one tenant holding N instances against the same load
/// over many small tenants (<see cref="TenantSizeAsync"/>). Closed loops on one embedded silo (tenant size: or a cluster's endpoints); the fills are not measured.
/// </summary>
public sealed class ScalingModes(BenchOptions options, TextWriter log)
{
    public async Task<string> TenantCountAsync(Gateways gateways, SiloProcess silo, int servers, CancellationToken cancellationToken)
    {
        var workload = new Workload(gateways, options, log);
        var probe = new UsageProbe([silo.Pid]);
        await workload.PrepareAsync(cancellationToken);
        var text = Header($"tenant scaling: embedded, {servers:N0} servers", silo);
        text.AppendLine("existing tenants   fill s   CreateTenant/s   p50 ms   p99 ms   silo µs   errors");
        var existing = (long)options.Tenants;
        var rates = new List<(long Existing, double Rate)>();
        foreach (var target in options.TenantScaling)
        {
            var fill = TimeSpan.Zero;
            if (target > existing)
            {
                log.WriteLine($"  filling to {target:N0} tenants ...");
                var filled = await ClosedLoop.RunAsync("CreateTenant", workload.CreateTenantAsync, options.Concurrency, TimeSpan.FromHours(2), probe,
                    cancellationToken, maxCalls: target - existing);
                existing += filled.Succeeded;
                fill = filled.Duration;
            }
            var measured = await MeasureAsync("CreateTenant", workload.CreateTenantAsync, probe, silo, cancellationToken);
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{existing,16:N0} {fill.TotalSeconds,8:F1} {measured.Throughput,16:N0} {measured.Latency.P50,8:F2} {measured.Latency.P99,8:F2} {Micros(measured),9}   {Report.Errors(measured)}"));
            rates.Add((existing, measured.Throughput));
            existing += measured.Succeeded;
        }
        if (rates.Count > 1)
        {
            var (first, last) = (rates[0], rates[^1]);
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"CreateTenant/s at {last.Existing:N0} tenants / at {first.Existing:N0}: {last.Rate:N0} / {first.Rate:N0} = {last.Rate / first.Rate:F2}; target ≥ 0.8: {(last.Rate >= 0.8 * first.Rate ? "MET" : "NOT MET")}"));
        }
        return text.ToString();
    }

    /// <summary>Against the embedded <paramref name="silo"/>, or, when it is null, the endpoints (their CPU from --silo-pids).</summary>
    public async Task<string> TenantSizeAsync(Gateways gateways, SiloProcess? silo, int? servers, CancellationToken cancellationToken)
    {
        var workload = new Workload(gateways, options, log);
        var probe = new UsageProbe(silo is null ? options.SiloPids : [silo.Pid]);
        await workload.PrepareAsync(cancellationToken);
        var target = silo is null ? $"endpoint {string.Join(", ", options.Endpoints)}" : "embedded";
        var text = Header($"tenant size: {target}, {servers ?? workload.ServerCount:N0} servers, one tenant of {options.TenantSize:N0} instances against {options.Tenants:N0} tenants", silo);

        var spread = await MeasureAsync("CreateInstance", workload.CreateAsync, probe, silo, cancellationToken);
        await workload.CreateIntoAsync($"bench-{workload.RunId}-big", cancellationToken);
        log.WriteLine($"  filling one tenant with {options.TenantSize:N0} instances ...");
        var fill = await ClosedLoop.RunAsync("CreateInstance", workload.CreateAsync, options.Concurrency, TimeSpan.FromHours(2), probe,
            cancellationToken, maxCalls: options.TenantSize);
        var one = await MeasureAsync("CreateInstance", workload.CreateAsync, probe, silo, cancellationToken);
        // The spread load again, on a silo as warm as the one-tenant phase found it: the ratio takes the faster of the two.
        await workload.CreateIntoAsync(null, cancellationToken);
        var spreadAgain = await MeasureAsync("CreateInstance", workload.CreateAsync, probe, silo, cancellationToken);
        var reference = Math.Max(spread.Throughput, spreadAgain.Throughput);

        text.AppendLine("load                                     CreateInstance/s   p50 ms   p99 ms   silo µs   errors");
        text.AppendLine(Row($"over {options.Tenants:N0} tenants", spread));
        text.AppendLine(Row($"fill: one tenant, 0 → {fill.Succeeded:N0} instances", fill));
        text.AppendLine(Row($"one tenant holding {fill.Succeeded:N0}", one));
        text.AppendLine(Row($"over {options.Tenants:N0} tenants, again", spreadAgain));
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"one tenant / spread (the faster spread run): {one.Throughput:N0} / {reference:N0} = {one.Throughput / reference:F2}; target ≥ 0.8: {(one.Throughput >= 0.8 * reference ? "MET" : "NOT MET")}"));
        return text.ToString();

        static string Row(string label, LoadResult r) => string.Create(CultureInfo.InvariantCulture,
            $"{label,-40} {r.Throughput,16:N0} {r.Latency.P50,8:F2} {r.Latency.P99,8:F2} {Micros(r),9}   {Report.Errors(r)}");
    }

    private static string Micros(LoadResult r) => r.Use.SiloCpu is { } cpu && r.Succeeded > 0
        ? (cpu.TotalMicroseconds / r.Succeeded).ToString("F0", CultureInfo.InvariantCulture) : "-";

    private static StringBuilder Header(string title, SiloProcess? silo)
    {
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine($"== {title} ==");
        if (silo is not null) text.AppendLine($"silo answered {silo.StartupTime.TotalSeconds:F1} s after its start");
        return text;
    }

    private async Task<LoadResult> MeasureAsync(string method, BenchCall call, UsageProbe probe, SiloProcess? silo, CancellationToken cancellationToken)
    {
        if (options.Warmup > TimeSpan.Zero) await ClosedLoop.RunAsync(method, call, options.Concurrency, options.Warmup, probe, cancellationToken);
        log.WriteLine($"  {method}: closed loop, {options.Concurrency} workers, {options.Duration.TotalSeconds:0.#} s ...");
        var result = await ClosedLoop.RunAsync(method, call, options.Concurrency, options.Duration, probe, cancellationToken);
        silo?.EnsureRunning();
        log.WriteLine($"    {Report.Summary(result)}");
        return result;
    }
}
