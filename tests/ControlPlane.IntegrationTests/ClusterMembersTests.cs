using ControlPlane.Contracts.V1;
using Grpc.Core;

namespace ControlPlane.IntegrationTests;

/// <summary>Diagnostics.ListClusterMembers over real gRPC: the silos of the membership, for operators only.</summary>
[Collection(HostCollection.Name)]
public sealed class ClusterMembersTests(HostFixture host)
{
    [Fact]
    public async Task The_embedded_silo_lists_itself_active_with_its_ops_centre_and_regions()
    {
        var before = DateTimeOffset.UtcNow;

        var members = (await new Diagnostics.DiagnosticsClient(host.Channel).ListClusterMembersAsync(new ListClusterMembersRequest())).Members;

        var member = Assert.Single(members);
        var ping = await new Diagnostics.DiagnosticsClient(host.Channel).PingAsync(new PingRequest());
        Assert.Equal((ping.Silo, MemberStatus.Active, true), (member.Name, member.Status, member.Answered));
        Assert.Matches(@"^127\.0\.0\.1:\d+@\d+$", member.Address);
        Assert.InRange(member.StartTime.ToDateTimeOffset(), before.AddMinutes(-10), before);
        Assert.NotEmpty(member.OpsCentre);
        Assert.Contains("france-centre", member.Regions);
    }
}

[Collection(SecureHostCollection.Name)]
public sealed class ClusterMembersAccessTests(SecureHostFixture host)
{
    [Fact]
    public async Task Operators_see_the_members_and_a_principal_without_a_role_is_refused()
    {
        var members = (await new Diagnostics.DiagnosticsClient(host.As("op-idf-1")).ListClusterMembersAsync(new ListClusterMembersRequest())).Members;
        Assert.Equal(MemberStatus.Active, Assert.Single(members).Status);

        await Api.FailsAsync(() => new Diagnostics.DiagnosticsClient(host.As("nobody")).ListClusterMembersAsync(new ListClusterMembersRequest()).ResponseAsync,
            StatusCode.PermissionDenied, "ROLE_REQUIRED");
    }
}
