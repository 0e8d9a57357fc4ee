using ControlPlane.Contracts.V1;

namespace ControlPlane.IntegrationTests;

/// <summary>The no-op baseline of the benchmark answers over real gRPC without touching the cluster.</summary>
[Collection(HostCollection.Name)]
public sealed class DiagnosticsTests(HostFixture host)
{
    [Fact]
    public async Task Ping_names_the_silo_and_its_time()
    {
        var before = DateTimeOffset.UtcNow;

        var response = await new Diagnostics.DiagnosticsClient(host.Channel).PingAsync(new PingRequest());

        Assert.False(string.IsNullOrEmpty(response.Silo));
        var time = response.Time.ToDateTimeOffset();
        Assert.InRange(time, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
    }
}
