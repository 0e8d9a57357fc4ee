using ControlPlane.Silo;
using Npgsql;

namespace ControlPlane.IntegrationTests;

/// <summary>The membership table's connection waits seconds, not the storage's 30 s, on a database host that stopped answering.</summary>
public sealed class MembershipConnectionTests
{
    [Theory]
    [InlineData("Host=a,b;Database=controlplane;Target Session Attributes=primary;Timeout=30;Host Recheck Seconds=2", 5, 10)]
    [InlineData("Host=a;Database=controlplane", 5, 10)]
    [InlineData("Host=a;Database=controlplane;Timeout=0;Command Timeout=0", 5, 10)]
    [InlineData("Host=a;Database=controlplane;Timeout=3;Command Timeout=4", 3, 4)]
    public void Timeouts_are_capped_and_the_rest_is_kept(string configured, int connect, int command)
    {
        var membership = new NpgsqlConnectionStringBuilder(MembershipConnection.From(configured));
        var original = new NpgsqlConnectionStringBuilder(configured);

        Assert.Equal((connect, command), (membership.Timeout, membership.CommandTimeout));
        Assert.Equal((original.Host, original.Database, original.TargetSessionAttributes, original.HostRecheckSeconds),
            (membership.Host, membership.Database, membership.TargetSessionAttributes, membership.HostRecheckSeconds));
    }
}
