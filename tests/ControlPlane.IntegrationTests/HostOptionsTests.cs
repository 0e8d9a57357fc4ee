using ControlPlane.Silo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ControlPlane.IntegrationTests;

/// <summary>A host with a bad setting does not start, and says which setting is wrong.</summary>
public sealed class HostOptionsTests
{
    [Theory]
    [InlineData("Mode", "clustered", "ControlPlane:Silo:Mode")]
    [InlineData("OpsCentre", "lyon", "ControlPlane:Silo:OpsCentre")]
    [InlineData("GrpcListen", "localhost", "ControlPlane:Silo:GrpcListen")]
    [InlineData("SiloPort", "70000", "ControlPlane:Silo:SiloPort")]
    public void A_bad_setting_stops_the_start_with_its_name(string key, string value, string named)
    {
        var e = Assert.Throws<OptionsValidationException>(() => ControlPlaneHost.Build([], b =>
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [$"ControlPlane:Silo:{key}"] = value })));

        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void Durable_mode_needs_a_connection_string()
    {
        var e = Assert.Throws<OptionsValidationException>(() => ControlPlaneHost.Build([], b =>
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ControlPlane:Silo:Mode"] = "durable" })));

        Assert.Contains("ControlPlane:Silo:ConnectionString", e.Message);
    }
}
