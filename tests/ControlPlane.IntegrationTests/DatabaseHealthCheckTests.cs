using ControlPlane.Silo.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace ControlPlane.IntegrationTests;

/// <summary>The durable-mode database check, against a PostgreSQL port where nothing listens.</summary>
public sealed class DatabaseHealthCheckTests
{
    [Fact]
    public async Task A_database_that_refuses_connections_is_unhealthy_and_named()
    {
        await using var database = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={Ports.Free()};Username=x;Password=x;Database=x;Timeout=2");

        var result = await new DatabaseHealthCheck(database).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.StartsWith("PostgreSQL does not answer", result.Description);
    }
}
