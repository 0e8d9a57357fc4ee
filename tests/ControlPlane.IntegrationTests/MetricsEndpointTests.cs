using System.Globalization;
using System.Text.RegularExpressions;
using ControlPlane.Contracts.V1;

namespace ControlPlane.IntegrationTests;

/// <summary>Prometheus scrapes the health port's /metrics; latency histograms have buckets from 5 ms to 2 min.</summary>
[Collection(HostCollection.Name)]
public sealed partial class MetricsEndpointTests(HostFixture host)
{
    private const string Duration = "controlplane_provisioning_duration_seconds";

    [GeneratedRegex("^" + Duration + @"_bucket\{(?<labels>[^}]*)\} (?<count>\d+)", RegexOptions.Multiline)]
    private static partial Regex DurationBucket();

    [Fact]
    public async Task A_finished_create_is_counted_in_the_provisioning_histogram_with_fitted_buckets()
    {
        await host.CreateTenantAsync("metrics-acme", Api.Res(16, 64), "france-centre");
        var done = await host.WaitAsync(await host.CreateInstanceAsync("metrics-acme", "web-1", "Standard_D2s_v5"));
        Assert.Equal(OperationState.Succeeded, done.State);
        using var http = new HttpClient();

        var text = "";
        await Eventually.HoldsAsync(async () =>
        {
            var response = await http.GetAsync($"{host.HealthEndpoint}/metrics");
            text = await response.Content.ReadAsStringAsync();
            return (response.IsSuccessStatusCode && text.Contains(Duration + "_count{"), $"{(int)response.StatusCode}, {text.Length} chars");
        }, TimeSpan.FromSeconds(10));

        var created = DurationBucket().Matches(text)
            .Where(m => m.Groups["labels"].Value.Contains("controlplane_operation_kind=\"CreateInstance\"") && m.Groups["labels"].Value.Contains("controlplane_outcome=\"SUCCEEDED\""))
            .Select(m => (Le: Regex.Match(m.Groups["labels"].Value, "le=\"([^\"]+)\"").Groups[1].Value, Count: long.Parse(m.Groups["count"].Value, CultureInfo.InvariantCulture)))
            .ToList();
        Assert.Equal(["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "0.75", "1", "1.5", "2", "2.5", "3", "4", "5", "7.5", "10", "15", "20", "30", "45", "60", "90", "120", "+Inf"],
            created.Select(b => b.Le));
        Assert.True(created[^1].Count >= 1);
        var took = (done.EndTime.ToDateTimeOffset() - done.CreateTime.ToDateTimeOffset()).TotalSeconds;
        // This create (well under 2 min) is counted in the 120 s bucket already, and the histogram is not one 5 s bucket.
        Assert.True(created.Single(b => b.Le == "120").Count >= 1, $"took {took} s");
        Assert.Contains("controlplane_operations_transitions_total{", text);
        Assert.Matches(@"(?m)^controlplane_operations_active\{[^}]*controlplane_operation_state=""Running""[^}]*\} \d+", text);
        Assert.Matches(@"(?m)^controlplane_operations_oldest_age_seconds(\{[^}]*\})? [\d.eE+-]+", text);
        Assert.Contains("# TYPE " + Duration + " histogram", text);
    }

    [Fact]
    public async Task Orleans_metrics_are_served_but_not_the_directory_cache_gauge_that_walks_a_million_slots()
    {
        using var http = new HttpClient();

        var text = await http.GetStringAsync($"{host.HealthEndpoint}/metrics");

        Assert.Matches(@"(?m)^orleans_\w+", text);
        Assert.DoesNotContain("orleans_directory_cache_size", text);
    }

    [Fact]
    public async Task Metrics_are_served_on_the_health_port_only()
    {
        using var http = new HttpClient();

        var onHealth = await http.GetAsync($"{host.HealthEndpoint}/metrics");

        Assert.Equal(System.Net.HttpStatusCode.OK, onHealth.StatusCode);
        Assert.StartsWith("text/plain", onHealth.Content.Headers.ContentType?.MediaType ?? "");
        using var grpcPort = new HttpClient { DefaultRequestVersion = System.Net.HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var onGrpc = await grpcPort.GetAsync($"{host.Endpoint}/metrics");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, onGrpc.StatusCode);
    }
}
