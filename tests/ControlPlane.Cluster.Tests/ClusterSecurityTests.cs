using ControlPlane.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace ControlPlane.Cluster.Tests;

/// <summary>The security model across the three silos of the durable cluster: every gateway enforces it, and a decision taken through one applies through the others.</summary>
[Collection(ClusterCollection.Name), Trait("Category", "Cluster")]
public sealed class ClusterSecurityTests(LocalCluster cluster)
{
    private static string Reason(RpcException e) => e.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason ?? "";

    [Fact]
    public async Task Every_gateway_refuses_calls_without_credentials_and_vendors_while_sealed()
    {
        for (var silo = 1; silo <= LocalCluster.Silos; silo++)
        {
            var anonymous = await Assert.ThrowsAsync<RpcException>(() => new Contracts.V1.Topology.TopologyClient(cluster.Channel(silo))
                .ListRegionsAsync(new ListRegionsRequest(), deadline: Calls.Deadline()).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
            var vendor = await Assert.ThrowsAsync<RpcException>(() => cluster.Topology(silo, "vendor-support-1")
                .ListRegionsAsync(new ListRegionsRequest(), deadline: Calls.Deadline()).ResponseAsync);
            Assert.Equal(("PLATFORM_SEALED", StatusCode.PermissionDenied), (Reason(vendor), vendor.StatusCode));
        }
    }

    [Fact]
    public async Task A_lockbox_grant_approved_through_one_silo_opens_and_closes_access_through_another()
    {
        var tenant = new CreateTenantRequest { Id = "lockbox-cluster", DisplayName = "lockbox", Quota = new Resources { Cores = 8, MemoryMib = 32768 } };
        tenant.AllowedRegions.Add("france-centre");
        await Calls.RetryAsync(1, silo => cluster.Tenants(silo).CreateTenantAsync(tenant, deadline: Calls.Deadline()).ResponseAsync, tolerateAlreadyExists: true);
        var access = new Access.AccessClient(cluster.As(1, "security-officer-1"));
        await access.RegisterPrincipalAsync(new RegisterPrincipalRequest
        {
            Principal = new Principal { Id = "lockbox-cluster-admin", Kind = PrincipalKind.Person, Employer = "operator" },
        }, deadline: Calls.Deadline());
        await access.AssignRoleAsync(new AssignRoleRequest { Principal = "lockbox-cluster-admin", Role = Role.TenantAdmin, Scope = "tenant:lockbox-cluster" },
            deadline: Calls.Deadline());

        var operatorOnSilo3 = new Contracts.V1.Tenants.TenantsClient(cluster.As(3, "operator-rennes-1"));
        var denied = await Assert.ThrowsAsync<RpcException>(() => operatorOnSilo3.GetTenantAsync(new GetTenantRequest { Id = "lockbox-cluster" }, deadline: Calls.Deadline()).ResponseAsync);
        Assert.Equal("LOCKBOX_GRANT_REQUIRED", Reason(denied));

        var grant = await new Lockbox.LockboxClient(cluster.As(3, "operator-rennes-1")).RequestTenantAccessAsync(new RequestTenantAccessRequest
        {
            TenantId = "lockbox-cluster", Justification = "cluster test", Duration = Duration.FromTimeSpan(TimeSpan.FromHours(1)),
        }, deadline: Calls.Deadline());
        await new Lockbox.LockboxClient(cluster.As(1, "lockbox-cluster-admin")).ApproveTenantAccessAsync(
            new TenantAccessRequest { TenantId = "lockbox-cluster", GrantId = grant.Id }, deadline: Calls.Deadline());
        Assert.Equal("lockbox-cluster", (await operatorOnSilo3.GetTenantAsync(new GetTenantRequest { Id = "lockbox-cluster" }, deadline: Calls.Deadline())).Id);

        await new Lockbox.LockboxClient(cluster.As(1, "lockbox-cluster-admin")).RevokeTenantAccessAsync(
            new TenantAccessRequest { TenantId = "lockbox-cluster", GrantId = grant.Id }, deadline: Calls.Deadline());
        denied = await Assert.ThrowsAsync<RpcException>(() => operatorOnSilo3.GetTenantAsync(new GetTenantRequest { Id = "lockbox-cluster" }, deadline: Calls.Deadline()).ResponseAsync);
        Assert.Equal("LOCKBOX_GRANT_REQUIRED", Reason(denied));
        // The role assigned through silo 1 is known to silo 3 within its cache's second.
        Assert.True(await Calls.EventuallyAsync(async () =>
        {
            var who = await new Access.AccessClient(cluster.As(3, "auditor-1")).WhoCanAsync(new WhoCanRequest { Scope = "tenant:lockbox-cluster" }, deadline: Calls.Deadline());
            return who.Entries.Any(e => e.Principal == "lockbox-cluster-admin" && e.Role == Role.TenantAdmin);
        }, TimeSpan.FromSeconds(10)));
    }
}
