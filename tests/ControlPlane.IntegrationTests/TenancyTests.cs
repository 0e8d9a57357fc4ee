using ControlPlane.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace ControlPlane.IntegrationTests;

/// <summary>
/// What one tenant can learn of another through the API, over real gRPC with security enforced:
/// operations (request ids scoped per tenant, answers that do not tell which operations exist) and
/// listings (the lockbox applied to ListTenants and ListTenantAccess).
/// </summary>
[Collection(SecureHostCollection.Name)]
public sealed class TenancyTests(SecureHostFixture host)
{
    private static readonly Duration Wait = Duration.FromTimeSpan(TimeSpan.FromSeconds(30));

    private Provisioning.ProvisioningClient Provisioning(string who) => new(host.As(who));

    /// <summary>A tenant made by the tooling, with <paramref name="admin"/> registered as its administrator.</summary>
    private async Task TenantAsync(string tenant, string admin)
    {
        var request = new CreateTenantRequest { Id = tenant, DisplayName = $"{tenant} display", Quota = Api.Res(8, 32) };
        request.AllowedRegions.Add("france-centre");
        await new Contracts.V1.Tenants.TenantsClient(host.As("svc:tooling")).CreateTenantAsync(request);
        var access = new Access.AccessClient(host.As("so-1"));
        await access.RegisterPrincipalAsync(new RegisterPrincipalRequest { Principal = new Principal { Id = admin, Kind = PrincipalKind.Person, Employer = "operator" } });
        await access.AssignRoleAsync(new AssignRoleRequest { Principal = admin, Role = Role.TenantAdmin, Scope = $"tenant:{tenant}" });
    }

    private async Task<Operation> CreateAsync(string who, string tenant, string requestId)
    {
        var op = await Provisioning(who).CreateInstanceAsync(new CreateInstanceRequest
        {
            RequestId = requestId, TenantId = tenant, Name = "vm", Size = "Standard_D2s_v5", Region = "france-centre",
        });
        var done = await Provisioning(who).WaitOperationAsync(new WaitOperationRequest { Id = op.Id, Timeout = Wait });
        Assert.Equal(OperationState.Succeeded, done.State);
        return done;
    }

    private static async Task<(RpcException Error, Google.Rpc.ErrorInfo Info)> RefusedAsync(Func<Task> call, StatusCode code, string reason)
    {
        var (info, _) = await Api.FailsAsync(call, code, reason);
        return (await Assert.ThrowsAsync<RpcException>(call), info);
    }

    [Fact]
    public async Task Another_tenant_can_neither_replay_nor_squat_nor_probe_a_tenants_operations()
    {
        await TenantAsync("ops-a", "ops-a-admin");
        await TenantAsync("ops-b", "ops-b-admin");
        var created = await CreateAsync("ops-a-admin", "ops-a", "ops-create-1");
        var delete = new DeleteInstanceRequest { RequestId = "ops-delete-1", InstanceId = created.InstanceId };
        var deleting = await Provisioning("ops-a-admin").DeleteInstanceAsync(delete);
        var deleted = await Provisioning("ops-a-admin").WaitOperationAsync(new WaitOperationRequest { Id = deleting.Id, Timeout = Wait });
        Assert.Equal(OperationState.Succeeded, deleted.State);

        // The instance is gone: tenant B replaying A's deletion gets what a deletion of an unknown instance gets, not A's operation.
        var replay = await RefusedAsync(() => Provisioning("ops-b-admin").DeleteInstanceAsync(delete).ResponseAsync, StatusCode.NotFound, "INSTANCE_NOT_FOUND");
        var unknown = new DeleteInstanceRequest { RequestId = "ops-delete-1", InstanceId = "i-0000000000000000ops0" };
        var fresh = await RefusedAsync(() => Provisioning("ops-b-admin").DeleteInstanceAsync(unknown).ResponseAsync, StatusCode.NotFound, "INSTANCE_NOT_FOUND");
        Assert.Equal(fresh.Error.Status.Detail.Replace(unknown.InstanceId, "ID"), replay.Error.Status.Detail.Replace(delete.InstanceId, "ID"));
        Assert.Equal(fresh.Info.Metadata.Keys.Order(), replay.Info.Metadata.Keys.Order());
        Assert.DoesNotContain("ops-a", replay.Error.Status.Detail + string.Join(",", replay.Info.Metadata.Values));
        if (deleted.TraceId.Length > 0) Assert.DoesNotContain(deleted.TraceId, replay.Error.Status.Detail + string.Join(",", replay.Info.Metadata.Values));

        // Reading A's operations by id: the same answer as for an id that was never issued.
        foreach (var id in new[] { created.Id, deleted.Id, replay.Info.Metadata["operation_id"] })
        {
            var seen = await RefusedAsync(() => Provisioning("ops-b-admin").GetOperationAsync(new GetOperationRequest { Id = id }).ResponseAsync,
                StatusCode.NotFound, "OPERATION_NOT_FOUND");
            Assert.Equal($"operation '{id}' does not exist", seen.Error.Status.Detail);
            await Api.FailsAsync(() => Provisioning("ops-b-admin").WaitOperationAsync(new WaitOperationRequest { Id = id }).ResponseAsync,
                StatusCode.NotFound, "OPERATION_NOT_FOUND");
        }
        var never = await RefusedAsync(() => Provisioning("ops-b-admin").GetOperationAsync(new GetOperationRequest { Id = "op-00000000000000000000" }).ResponseAsync,
            StatusCode.NotFound, "OPERATION_NOT_FOUND");
        Assert.Equal("operation 'op-00000000000000000000' does not exist", never.Error.Status.Detail);
        // An operator without a lockbox grant of A does not see them either.
        await Api.FailsAsync(() => Provisioning("op-idf-1").GetOperationAsync(new GetOperationRequest { Id = created.Id }).ResponseAsync,
            StatusCode.NotFound, "OPERATION_NOT_FOUND");

        // B takes a request id first; A's request with the same id is A's own operation, not refused.
        var squatted = await CreateAsync("ops-b-admin", "ops-b", "ops-create-2");
        var own = await CreateAsync("ops-a-admin", "ops-a", "ops-create-2");
        Assert.NotEqual(squatted.Id, own.Id);
        Assert.Equal(("ops-a", "ops-b"), (own.TenantId, squatted.TenantId));

        // A still finds its own: a retry of the finished deletion is the same operation, and reads answer.
        Assert.Equal(deleted.Id, (await Provisioning("ops-a-admin").DeleteInstanceAsync(delete)).Id);
        Assert.Equal(OperationState.Succeeded, (await Provisioning("ops-a-admin").GetOperationAsync(new GetOperationRequest { Id = deleted.Id })).State);
        Assert.Equal(created.Id, (await Provisioning("svc:tooling").GetOperationAsync(new GetOperationRequest { Id = created.Id })).Id);
    }

    [Fact]
    public async Task Listings_show_an_operator_only_the_tenants_and_grants_the_lockbox_opens_to_him()
    {
        await TenantAsync("list-a", "list-a-admin");
        await TenantAsync("list-b", "list-b-admin");
        var asked = await new Lockbox.LockboxClient(host.As("op-idf-1")).RequestTenantAccessAsync(new RequestTenantAccessRequest
        {
            TenantId = "list-a", Justification = "ticket 7", Duration = Duration.FromTimeSpan(TimeSpan.FromHours(1)),
        });
        await new Lockbox.LockboxClient(host.As("list-a-admin")).ApproveTenantAccessAsync(new TenantAccessRequest { TenantId = "list-a", GrantId = asked.Id });
        var other = await new Lockbox.LockboxClient(host.As("op-idf-2")).RequestTenantAccessAsync(new RequestTenantAccessRequest
        {
            TenantId = "list-a", Justification = "ticket 8", Duration = Duration.FromTimeSpan(TimeSpan.FromHours(1)),
        });

        async Task<List<Tenant>> ListAsync(string who)
        {
            var tenants = new List<Tenant>();
            var client = new Contracts.V1.Tenants.TenantsClient(host.As(who));
            for (var token = ""; ;)
            {
                var page = await client.ListTenantsAsync(new ListTenantsRequest { PageSize = 2, PageToken = token });
                tenants.AddRange(page.Tenants);
                if ((token = page.NextPageToken).Length == 0) return tenants;
            }
        }

        // The operator with a grant of list-a sees list-a, not list-b; one without any grant sees no tenant; the tooling all.
        var granted = await ListAsync("op-idf-1");
        Assert.Contains(granted, t => t.Id == "list-a" && t.DisplayName == "list-a display");
        Assert.DoesNotContain(granted, t => t.Id == "list-b");
        Assert.Empty(await ListAsync("op-rennes"));
        Assert.Equivalent(new[] { "list-a", "list-b" }, (await ListAsync("svc:tooling")).Select(t => t.Id).Intersect(["list-a", "list-b"]));

        // Grants of list-a: every one to its administrator and to a security officer, his own to an operator, none to an unrelated one.
        async Task<List<string>> GrantsAsync(string who) =>
            [.. (await new Lockbox.LockboxClient(host.As(who)).ListTenantAccessAsync(new ListTenantAccessRequest { TenantId = "list-a" })).Grants.Select(g => g.Id)];
        Assert.Equivalent(new[] { asked.Id, other.Id }, await GrantsAsync("list-a-admin"));
        Assert.Equivalent(new[] { asked.Id, other.Id }, await GrantsAsync("so-1"));
        Assert.Equal([asked.Id], await GrantsAsync("op-idf-1"));
        Assert.Equal([other.Id], await GrantsAsync("op-idf-2"));
        Assert.Empty(await GrantsAsync("op-rennes"));
        await Api.FailsAsync(() => new Lockbox.LockboxClient(host.As("list-b-admin")).ListTenantAccessAsync(new ListTenantAccessRequest { TenantId = "list-a" }).ResponseAsync,
            StatusCode.PermissionDenied, "ROLE_REQUIRED");
    }
}
