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
