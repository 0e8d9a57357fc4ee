using ControlPlane.Contracts.V1;

namespace ControlPlane.IntegrationTests;

/// <summary>
/// The real host exporting its telemetry over OTLP (the standard OTEL_EXPORTER_OTLP_ENDPOINT switch)
/// to a real Aspire Dashboard started first, as the local cluster does.
/// </summary>
public sealed class TraceViewerFixture : HostFixture
{
    public AspireDashboard Viewer { get; private set; } = null!;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("OTEL_EXPORTER_OTLP_ENDPOINT", Viewer.OtlpGrpcEndpoint),
        new("OTEL_SERVICE_NAME", "controlplane"),
    ];

    public override async Task InitializeAsync()
    {
        Viewer = await AspireDashboard.StartAsync();
        await base.InitializeAsync();
        await ViewerReceivesTracesAsync();
    }

    /// <summary>
    /// Waits until the viewer holds a trace of this host, calling the API meanwhile, so that the tests look for their own
    /// spans through a pipeline known to work. Without this wait the viewer's test saw no trace at all within a minute
    /// twice in CI beside the cluster tests; a viewer that has only just started, on a loaded machine, being slower than
    /// the exporter's 10 s over its first batches is the likely cause, not a proven one.
    /// </summary>
    private async Task ViewerReceivesTracesAsync()
    {
        var lastCall = DateTime.MinValue;
        await Eventually.HoldsAsync(async () =>
        {
            if (DateTime.UtcNow - lastCall > TimeSpan.FromSeconds(1))
            {
                lastCall = DateTime.UtcNow;
                await Topology.ListSizesAsync(new ListSizesRequest());
            }
            try
            {
                var count = await Viewer.TraceCountAsync();
                return (count > 0, $"the viewer holds {count} traces");
            }
            catch (TaskCanceledException e) when (e.InnerException is TimeoutException)
            {
                return (false, "the viewer did not answer one query within 10 s");
            }
        }, TimeSpan.FromSeconds(180));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Viewer is not null) await Viewer.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class TraceViewerCollection : ICollectionFixture<TraceViewerFixture>
{
    public const string Name = "trace viewer";
}
