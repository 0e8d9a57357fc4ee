using System.Text.Json;
using ControlPlane.Contracts.V1;

namespace ControlPlane.IntegrationTests;

/// <summary>
/// An operator finds an API call in the trace viewer by its operation id: the Aspire Dashboard's
/// telemetry API (<c>GET /api/telemetry/traces?search=@controlplane.operation_id:op-…</c>, an
/// attribute qualifier of the dashboard's search) answers the call's trace, whose root span carries
/// the operation, tenant, instance and region.
/// </summary>
[Collection(TraceViewerCollection.Name)]
public sealed class TraceViewerTests(TraceViewerFixture host)
{
    private const int ServerKind = 2;

    private sealed record Span(string Service, string TraceId, string SpanId, string ParentSpanId, string Name, int Kind, Dictionary<string, string> Tags);

    [Fact]
    public async Task The_root_span_of_a_create_is_found_through_the_viewers_api_by_its_operation_id()
    {
        await host.CreateTenantAsync("viewer-acme", Api.Res(16, 64), "france-centre");
        var operation = await host.CreateInstanceAsync("viewer-acme", "web-1", "Standard_D2s_v5");
        var other = await host.CreateInstanceAsync("viewer-acme", "web-2", "Standard_D2s_v5");
        Assert.Matches("^[0-9a-f]{32}$", operation.TraceId);
        Assert.NotEqual(operation.TraceId, other.TraceId);

        var spans = await TraceByOperationAsync(operation.Id);

        // Only the create's trace answers the search: not the other create's, not the platform's background work.
        Assert.All(spans, s => Assert.Equal(operation.TraceId, s.TraceId));
        var root = Assert.Single(spans, s => s.ParentSpanId.Length == 0);
        Assert.Contains("controlplane.v1.Provisioning/CreateInstance", root.Name);
        Assert.Equal(ServerKind, root.Kind);
        Assert.Equal("controlplane", root.Service);
        Assert.Equal((operation.Id, "viewer-acme", operation.InstanceId, "france-centre"),
            (root.Tags.GetValueOrDefault("controlplane.operation_id"), root.Tags.GetValueOrDefault("controlplane.tenant_id"),
             root.Tags.GetValueOrDefault("controlplane.instance_id"), root.Tags.GetValueOrDefault("controlplane.region")));
        Assert.Contains(spans, s => s.Name == "placement.zone" && s.ParentSpanId.Length > 0);
    }

    /// <summary>
    /// The traces the viewer finds by operation id, waiting for the exporter's batches (a few seconds):
    /// done when exactly one trace answers and its root span has arrived.
    /// </summary>
    private async Task<List<Span>> TraceByOperationAsync(string operationId)
    {
        var query = "traces?search=" + Uri.EscapeDataString($"@controlplane.operation_id:{operationId}");
        List<Span> spans = [];
        await Eventually.HoldsAsync(async () =>
        {
            JsonDocument json;
            try
            {
                json = await host.Viewer.TelemetryAsync(query);
            }
            catch (TaskCanceledException e) when (e.InnerException is TimeoutException)
            {
                // The viewer itself slow on a loaded machine (its query took over 10 s): asked again within the minute.
                return (false, "the viewer did not answer one query within 10 s");
            }
            using var disposing = json;
            var returned = json.RootElement.GetProperty("returnedCount").GetInt32();
            spans = Spans(json);
            var found = returned == 1 && spans.Any(s => s.ParentSpanId.Length == 0) && spans.Any(s => s.Name == "placement.zone");
            var all = returned == 0 ? $" (of {await host.Viewer.TraceCountAsync()} the viewer holds)" : "";
            return (found, $"{returned} traces{all}: {string.Join(", ", spans.Select(s => $"{s.Name}<{s.ParentSpanId}"))}");
        }, TimeSpan.FromSeconds(60));
        return spans;
    }

    /// <summary>The spans of the OTLP-shaped JSON the telemetry API answers.</summary>
    private static List<Span> Spans(JsonDocument json)
    {
        var spans = new List<Span>();
        foreach (var resource in json.RootElement.GetProperty("data").GetProperty("resourceSpans").EnumerateArray())
        {
            var service = Tags(resource.GetProperty("resource")).GetValueOrDefault("service.name", "");
            foreach (var scope in resource.GetProperty("scopeSpans").EnumerateArray())
            {
                foreach (var span in scope.GetProperty("spans").EnumerateArray())
                {
                    spans.Add(new Span(service, span.GetProperty("traceId").GetString() ?? "", span.GetProperty("spanId").GetString() ?? "",
                        span.TryGetProperty("parentSpanId", out var parent) ? parent.GetString() ?? "" : "", span.GetProperty("name").GetString() ?? "",
                        span.TryGetProperty("kind", out var kind) ? kind.GetInt32() : 0, Tags(span)));
                }
            }
        }
        return spans;
    }

    /// <summary>String attributes of a span or resource (OTLP JSON: key and value.stringValue).</summary>
    private static Dictionary<string, string> Tags(JsonElement element) =>
        element.TryGetProperty("attributes", out var attributes)
            ? attributes.EnumerateArray()
                .Where(a => a.GetProperty("value").TryGetProperty("stringValue", out _))
                .ToDictionary(a => a.GetProperty("key").GetString()!, a => a.GetProperty("value").GetProperty("stringValue").GetString()!)
            : [];
}
