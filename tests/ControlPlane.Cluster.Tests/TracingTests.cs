using System.Text.Json;
using ControlPlane.Contracts.V1;

namespace ControlPlane.Cluster.Tests;

/// <summary>A provisioning is one trace across silos, found in the operators' trace viewer by the operation's trace id.</summary>
[Collection(ClusterCollection.Name), Trait("Category", "Cluster")]
public sealed class TracingTests(LocalCluster cluster)
{
    private const int ServerKind = 2;

    private sealed record Span(string Service, string Scope, string Name, string SpanId, string ParentSpanId, int Kind);

    [Fact]
    public async Task One_create_instance_is_one_trace_across_silos_in_the_dashboard()
    {
        await cluster.CreateTenantAsync("traced", 16, "france-centre");
        // Enter through a gateway on a silo that does not serve the zone, so the trace must cross
        // silos. A zone grain may move between the look-up and the call (back to its pilot after a
        // takeover by an earlier test): then try again, at most three times.
        List<Span> spans = [];
        Operation operation = null!;
        var gateway = 0;
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var zones = await Calls.RetryAsync(1, silo => cluster.Topology(silo).ListZonesAsync(new ListZonesRequest(), deadline: Calls.Deadline()).ResponseAsync);
            var servedBy = zones.Zones.Single(z => z.Id == "fr-centre-1").ServedBy;
            gateway = Enumerable.Range(1, LocalCluster.Silos).First(n => SiloName(n) != servedBy);
            operation = await cluster.Provisioning(gateway).CreateInstanceAsync(new CreateInstanceRequest
            {
                RequestId = $"traced-{attempt}", TenantId = "traced", Name = $"web-{attempt}", Size = "Standard_D2s_v5", Region = "france-centre", Zone = "fr-centre-1",
            }, deadline: Calls.Deadline());
            Assert.Equal(OperationState.Succeeded, (await cluster.WaitTerminalAsync(operation.Id, TimeSpan.FromSeconds(30))).State);
            Assert.Matches("^[0-9a-f]{32}$", operation.TraceId);
            spans = await WholeTraceAsync(operation.TraceId);
            if (spans.Single(s => s.Name == "IZoneGrain/PlaceAsync" && s.Kind == ServerKind).Service != SiloName(gateway)) break;
        }

        var root = Assert.Single(spans, s => s.ParentSpanId.Length == 0);
        Assert.Equal("Microsoft.AspNetCore", root.Scope);
        Assert.Contains("Provisioning/CreateInstance", root.Name);
        Assert.Equal(SiloName(gateway), root.Service);
        var ids = spans.Select(s => s.SpanId).ToHashSet();
        Assert.All(spans.Where(s => s != root), s => Assert.Contains(s.ParentSpanId, ids));

        var zone = spans.Single(s => s.Name == "IZoneGrain/PlaceAsync" && s.Kind == ServerKind);
        Assert.NotEqual(root.Service, zone.Service);
        Assert.Contains(spans, s => s.Scope == "ControlPlane" && s.Name == "placement.zone" && s.Service == zone.Service);
        Assert.Contains(spans, s => s.Scope == "ControlPlane" && s.Name == "persist ServerState");
        Assert.Contains(spans, s => s.Scope == "Microsoft.Orleans.Storage");
        var agent = Assert.Single(spans, s => s.Name == "agent.create_instance");
        Assert.Equal("IOperationGrain/ResumeAsync", spans.Single(s => s.SpanId == agent.ParentSpanId).Name);
    }

    private static string SiloName(int silo) => $"silo-{silo}-{LocalCluster.OpsCentres[silo - 1]}";

    /// <summary>
    /// Each silo exports in its own batches: waits until the trace is whole (a root, the agent's
    /// span, the zone's and server's spans, and every span's parent present).
    /// </summary>
    private async Task<List<Span>> WholeTraceAsync(string traceId)
    {
        List<Span> spans = [];
        Assert.True(await Calls.EventuallyAsync(async () =>
        {
            spans = await TraceAsync(traceId);
            var ids = spans.Select(s => s.SpanId).ToHashSet();
            return spans.Any(s => s.Name == "agent.create_instance") && spans.Any(s => s.ParentSpanId.Length == 0)
                && spans.Any(s => s.Name == "IZoneGrain/PlaceAsync" && s.Kind == ServerKind) && spans.Any(s => s.Name == "persist ServerState")
                && spans.All(s => s.ParentSpanId.Length == 0 || ids.Contains(s.ParentSpanId));
        }, TimeSpan.FromSeconds(45)), $"the trace {traceId} never became whole; got: {string.Join(", ", spans.Select(s => $"{s.Name}<{s.ParentSpanId}"))}");
        return spans;
    }

    /// <summary>Reads a trace back through the dashboard's telemetry API (OTLP-shaped JSON).</summary>
    private async Task<List<Span>> TraceAsync(string traceId)
    {
        using var http = new HttpClient();
        var response = await http.GetAsync($"{cluster.Dashboard}/api/telemetry/traces/{traceId}");
        if (!response.IsSuccessStatusCode) return [];
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var spans = new List<Span>();
        foreach (var resource in json.RootElement.GetProperty("data").GetProperty("resourceSpans").EnumerateArray())
        {
            var service = resource.GetProperty("resource").GetProperty("attributes").EnumerateArray()
                .Where(a => a.GetProperty("key").GetString() == "service.instance.id")
                .Select(a => a.GetProperty("value").GetProperty("stringValue").GetString()).FirstOrDefault() ?? "";
            foreach (var scope in resource.GetProperty("scopeSpans").EnumerateArray())
            {
                var scopeName = scope.GetProperty("scope").GetProperty("name").GetString() ?? "";
                foreach (var span in scope.GetProperty("spans").EnumerateArray())
                {
                    spans.Add(new Span(service, scopeName, span.GetProperty("name").GetString() ?? "", span.GetProperty("spanId").GetString() ?? "",
                        span.TryGetProperty("parentSpanId", out var parent) ? parent.GetString() ?? "" : "",
                        span.TryGetProperty("kind", out var kind) ? kind.GetInt32() : 0));
                }
            }
        }
        return spans;
    }
}
