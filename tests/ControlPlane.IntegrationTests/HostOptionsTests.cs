using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ControlPlane.Silo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace ControlPlane.IntegrationTests;

/// <summary>A host with a bad setting does not start, and says which setting is wrong.</summary>
public sealed class HostOptionsTests
{
    [Theory]
    [InlineData("Mode", "clustered", "ControlPlane:Silo:Mode")]
    [InlineData("OpsCentre", "lyon", "ControlPlane:Silo:OpsCentre")]
    [InlineData("GrpcListen", "localhost", "ControlPlane:Silo:GrpcListen")]
    [InlineData("SiloPort", "70000", "ControlPlane:Silo:SiloPort")]
    [InlineData("IdleWorkersInspectionPeriod", "00:00:00", "ControlPlane:Silo:IdleWorkersInspectionPeriod")]
    [InlineData("LoadStatisticsPeriod", "-00:00:01", "ControlPlane:Silo:LoadStatisticsPeriod")]
    public void A_bad_setting_stops_the_start_with_its_name(string key, string value, string named)
    {
        var e = Assert.Throws<OptionsValidationException>(() => ControlPlaneHost.Build([], b =>
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [$"ControlPlane:Silo:{key}"] = value })));

        Assert.Contains(named, e.Message);
    }

    [Theory]
    [InlineData(null, null, 5000, 5000)]
    [InlineData("00:00:00.750", "00:00:02", 750, 2000)]
    public void The_idle_worker_and_load_statistics_periods_reach_orleans(string? idleWorkers, string? loadStatistics, int idleWorkersMs, int loadStatisticsMs)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ControlPlane:Silo:GrpcListen"] = $"127.0.0.1:{Ports.Free()}",
            ["ControlPlane:Silo:HealthListen"] = $"127.0.0.1:{Ports.Free()}",
            ["ControlPlane:Silo:SiloPort"] = Ports.Free().ToString(),
            ["ControlPlane:Silo:OrleansGatewayPort"] = Ports.Free().ToString(),
        };
        if (idleWorkers is not null) settings["ControlPlane:Silo:IdleWorkersInspectionPeriod"] = idleWorkers;
        if (loadStatistics is not null) settings["ControlPlane:Silo:LoadStatisticsPeriod"] = loadStatistics;
        var app = ControlPlaneHost.Build([], b => b.Configuration.AddInMemoryCollection(settings));
        try
        {
            var workers = app.Services.GetRequiredService<IOptions<StatelessWorkerOptions>>().Value;
            var load = app.Services.GetRequiredService<IOptions<DeploymentLoadPublisherOptions>>().Value;

            Assert.Equal(TimeSpan.FromMilliseconds(idleWorkersMs), workers.IdleWorkersInspectionPeriod);
            Assert.Equal(TimeSpan.FromMilliseconds(loadStatisticsMs), load.DeploymentLoadPublisherRefreshTime);
        }
        finally
        {
            ((IDisposable)app).Dispose();
        }
    }

    [Fact]
    public void Durable_mode_needs_a_connection_string()
    {
        var e = Assert.Throws<OptionsValidationException>(() => ControlPlaneHost.Build([], b =>
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ControlPlane:Silo:Mode"] = "durable" })));

        Assert.Contains("ControlPlane:Silo:ConnectionString", e.Message);
    }

    [Fact]
    public void A_durable_silo_refuses_to_start_with_a_certificate_without_the_silo_profile()
    {
        // A client-only certificate of the operator's CA, as the tooling's: the other silos would refuse it.
        var dir = Directory.CreateTempSubdirectory("cp-not-a-silo-").FullName;
        try
        {
            using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var caRequest = new CertificateRequest("CN=Operator CA", caKey, HashAlgorithmName.SHA256);
            caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=provisioning", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
            using var tooling = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), [7, 7]);
            File.WriteAllText(Path.Combine(dir, "ca.pem"), ca.ExportCertificatePem());
            File.WriteAllText(Path.Combine(dir, "tooling.pem"), tooling.ExportCertificatePem());
            File.WriteAllText(Path.Combine(dir, "tooling.key"), key.ExportPkcs8PrivateKeyPem());

            var e = Assert.Throws<OptionsValidationException>(() => ControlPlaneHost.Build([], b =>
                b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["ControlPlane:Silo:Mode"] = "durable",
                    ["ControlPlane:Silo:ConnectionString"] = "Host=127.0.0.1;Database=controlplane",
                    ["ControlPlane:Security:Jwt:Authority"] = "https://idp.example",
                    ["ControlPlane:Security:Tls:CertificateFile"] = Path.Combine(dir, "tooling.pem"),
                    ["ControlPlane:Security:Tls:KeyFile"] = Path.Combine(dir, "tooling.key"),
                    ["ControlPlane:Security:Tls:CaFile"] = Path.Combine(dir, "ca.pem"),
                })));

            Assert.Contains("ControlPlane:Security:Tls:CertificateFile", e.Message);
            Assert.Contains("no silo profile", e.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
