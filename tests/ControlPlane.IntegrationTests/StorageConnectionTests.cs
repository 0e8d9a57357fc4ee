using ControlPlane.Silo;
using Npgsql;

namespace ControlPlane.IntegrationTests;

/// <summary>Grain state, reminders and audit prepare their statements and skip the session reset, unless the operator says otherwise.</summary>
public sealed class StorageConnectionTests
{
    [Fact]
    public void Preparation_and_no_reset_are_added_and_the_rest_is_kept()
    {
        const string configured = "Host=a,b;Port=5433;Database=controlplane;Username=controlplane;Target Session Attributes=primary;Timeout=30;Maximum Pool Size=50";
        var storage = new NpgsqlConnectionStringBuilder(StorageConnection.From(configured));
        var original = new NpgsqlConnectionStringBuilder(configured);

        Assert.Equal((StorageConnection.MaxAutoPrepare, StorageConnection.AutoPrepareMinUsages, true),
            (storage.MaxAutoPrepare, storage.AutoPrepareMinUsages, storage.NoResetOnClose));
        Assert.Equal((original.Host, original.Port, original.Database, original.Username, original.TargetSessionAttributes, original.Timeout, original.MaxPoolSize),
            (storage.Host, storage.Port, storage.Database, storage.Username, storage.TargetSessionAttributes, storage.Timeout, storage.MaxPoolSize));
    }

    [Theory]
    [InlineData("Host=a;Max Auto Prepare=0;No Reset On Close=false", 0, false)]
    [InlineData("Host=a;maxautoprepare=5;NoResetOnClose=false", 5, false)]
    [InlineData("Host=a;Max Auto Prepare=8", 8, true)]
    [InlineData("Host=a;no reset on close=false", StorageConnection.MaxAutoPrepare, false)]
    public void An_operators_own_values_are_kept(string configured, int maxAutoPrepare, bool noResetOnClose)
    {
        var storage = new NpgsqlConnectionStringBuilder(StorageConnection.From(configured));

        Assert.Equal((maxAutoPrepare, noResetOnClose), (storage.MaxAutoPrepare, storage.NoResetOnClose));
    }

    [Theory]
    [InlineData("Host=a,b;Multiplexing=true;Password=secret", "Multiplexing cannot be used with several hosts")]
    [InlineData("Host=a;Passwrd=x;Password=secret", "not an Npgsql connection string")]
    [InlineData("Host=a;Port=x;Password=secret", "not an Npgsql connection string")]
    public void A_connection_string_npgsql_would_refuse_at_its_first_connection_stops_the_start_named(string configured, string reason)
    {
        var problem = Assert.Single(Durable(configured).Problems(["idf"]), p => p.Contains("ConnectionString"));

        Assert.Contains(reason, problem);
        Assert.DoesNotContain("secret", problem);
    }

    [Theory]
    [InlineData("Host=a;Multiplexing=true")]
    [InlineData("Host=a,b;Target Session Attributes=primary")]
    public void Multiplexing_on_one_host_and_several_hosts_without_it_are_accepted(string configured) =>
        Assert.DoesNotContain(Durable(configured).Problems(["idf"]), p => p.Contains("ConnectionString"));

    private static SiloHostOptions Durable(string connectionString) => new() { Mode = SiloHostOptions.Durable, ConnectionString = connectionString };
}
