using ControlPlane.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace ControlPlane.IntegrationTests;

/// <summary>Who lists which operations: a tenant's member his tenant's, the platform's tooling every tenant's, an operator through the lockbox.</summary>
[Collection(SecureHostCollection.Name)]
public sealed class OperationListingSecurityTests(SecureHostFixture host)
{
    private Provisioning.ProvisioningClient Provisioning(string who) => new(host.As(who));

    [Fact]
    public async Task A_tenant_member_lists_only_his_tenants_operations_and_tooling_lists_every_tenants()
    {
        var mine = await TenantWithOperationAsync("opsl-mine");
        var theirs = await TenantWithOperationAsync("opsl-theirs");
        var access = new Access.AccessClient(host.As("so-1"));
        await access.RegisterPrincipalAsync(new RegisterPrincipalRequest
        {
            Principal = new Principal { Id = "opsl-admin", Kind = PrincipalKind.Person, Employer = "operator" },
        });
        await access.AssignRoleAsync(new AssignRoleRequest { Principal = "opsl-admin", Role = Role.TenantAdmin, Scope = "tenant:opsl-mine" });
        var member = Provisioning("opsl-admin");

        await Eventually.HoldsAsync(async () =>
        {
            var listed = await member.ListOperationsAsync(new ListOperationsRequest { TenantId = "opsl-mine" });
            return (listed.Operations.Any(o => o.Id == mine), string.Join(", ", listed.Operations.Select(o => o.Id)));
        }, TimeSpan.FromSeconds(10));
        var own = await member.ListOperationsAsync(new ListOperationsRequest { TenantId = "opsl-mine" });
        Assert.All(own.Operations, o => Assert.Equal("opsl-mine", o.TenantId));

        await Api.FailsAsync(() => member.ListOperationsAsync(new ListOperationsRequest { TenantId = "opsl-theirs" }).ResponseAsync,
            StatusCode.PermissionDenied, "ROLE_REQUIRED");
        await Api.FailsAsync(() => member.ListOperationsAsync(new ListOperationsRequest()).ResponseAsync,
            StatusCode.PermissionDenied, "ROLE_REQUIRED");
        // A platform operator reads a tenant's resources through the lockbox only, as with GetOperation and ListInstances.
        await Api.FailsAsync(() => Provisioning("op-idf-1").ListOperationsAsync(new ListOperationsRequest { TenantId = "opsl-mine" }).ResponseAsync,
            StatusCode.PermissionDenied, "LOCKBOX_GRANT_REQUIRED");

        await Eventually.HoldsAsync(async () =>
        {
            var all = await Provisioning("svc:tooling").ListOperationsAsync(new ListOperationsRequest { PageSize = 1000 });
            var ids = all.Operations.Select(o => o.Id).ToHashSet();
            return (ids.Contains(mine) && ids.Contains(theirs), $"{ids.Count} operations");
        }, TimeSpan.FromSeconds(10));
    }

    private async Task<string> TenantWithOperationAsync(string tenant)
    {
        var request = new CreateTenantRequest { Id = tenant, DisplayName = tenant, Quota = Api.Res(8, 32) };
        request.AllowedRegions.Add("france-centre");
        await new Contracts.V1.Tenants.TenantsClient(host.As("svc:tooling")).CreateTenantAsync(request);
        var op = await Provisioning("svc:tooling").CreateInstanceAsync(new CreateInstanceRequest
        {
            RequestId = Guid.NewGuid().ToString(), TenantId = tenant, Name = "vm", Size = "Standard_D2s_v5", Region = "france-centre",
        });
        await Provisioning("svc:tooling").WaitOperationAsync(new WaitOperationRequest { Id = op.Id, Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(30)) });
        return op.Id;
    }
}
