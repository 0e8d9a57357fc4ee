using System.Security.Cryptography;
using ControlPlane.Contracts.Security;
using ControlPlane.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Health.V1;

namespace ControlPlane.IntegrationTests;

/// <summary>
/// The security model over real gRPC with authentication enforced, denial paths first: no or bad
/// credentials, unregistered principal, wrong role, vendor while sealed, wrong ops centre, outside
/// the EU, lockbox, four-eyes — each denial audited.
/// </summary>
[Collection(SecureHostCollection.Name)]
public sealed class SecurityTests(SecureHostFixture host)
{
    private const string Server = "fr-centre-1-r040-s10";

    private Contracts.V1.Tenants.TenantsClient Tenants(string who) => new(host.As(who));
    private Provisioning.ProvisioningClient Provisioning(string who) => new(host.As(who));

    private async Task<(string Tenant, string Instance)> TenantWithInstanceAsync(string tenant)
    {
        var request = new CreateTenantRequest { Id = tenant, DisplayName = tenant, Quota = Api.Res(8, 32) };
        request.AllowedRegions.Add("france-centre");
        await Tenants("svc:tooling").CreateTenantAsync(request);
        var op = await Provisioning("svc:tooling").CreateInstanceAsync(new CreateInstanceRequest
        {
            RequestId = Guid.NewGuid().ToString(), TenantId = tenant, Name = "vm", Size = "Standard_D2s_v5", Region = "france-centre",
        });
        var done = await Provisioning("svc:tooling").WaitOperationAsync(new WaitOperationRequest { Id = op.Id, Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(30)) });
        Assert.Equal(OperationState.Succeeded, done.State);
        return (tenant, done.InstanceId);
    }

    private async Task<IReadOnlyList<AuditRecord>> AuditAsync(string? principal = null)
    {
        var records = await new Contracts.V1.Audit.AuditClient(host.As("aud-1")).ListAuditRecordsAsync(new ListAuditRecordsRequest { Principal = principal ?? "", PageSize = 1000 });
        return records.Records;
    }

    [Fact]
    public async Task Calls_without_valid_credentials_are_unauthenticated_and_audited()
    {
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = DateTimeOffset.UtcNow;
        var regions = new Contracts.V1.Topology.TopologyClient(host.Channel);
        var tenantRequest = new CreateTenantRequest { Id = "unauth-t", Quota = Api.Res(1, 1) };
        tenantRequest.AllowedRegions.Add("france-centre");

        await Api.FailsAsync(() => regions.ListRegionsAsync(new ListRegionsRequest()).ResponseAsync, StatusCode.Unauthenticated, "UNAUTHENTICATED");
        await Api.FailsAsync(() => new Contracts.V1.Tenants.TenantsClient(host.Channel).CreateTenantAsync(tenantRequest).ResponseAsync, StatusCode.Unauthenticated, "UNAUTHENTICATED");
        foreach (var token in new[]
        {
            "not-a-jwt",
            LocalTokens.Mint(otherKey, new TokenClaims("so-1", "FR", true, TimeSpan.FromMinutes(5)), now),
            LocalTokens.Mint(host.SigningKey, new TokenClaims("so-1", "FR", true, TimeSpan.FromMinutes(1)), now.AddHours(-1)),
            LocalTokens.Mint(host.SigningKey, new TokenClaims("so-1", "FR", true, TimeSpan.FromMinutes(5), Audience: "someone-else"), now),
            LocalTokens.Mint(host.SigningKey, new TokenClaims("so-1", "FR", true, TimeSpan.FromMinutes(5), Issuer: "https://elsewhere"), now),
            LocalTokens.Mint(host.SigningKey, new TokenClaims("so-1", "FR", true, TimeSpan.FromDays(3650)), now),
        })
        {
            var e = await Api.FailsAsync(() => new Contracts.V1.Tenants.TenantsClient(host.WithToken(token)).CreateTenantAsync(tenantRequest).ResponseAsync,
                StatusCode.Unauthenticated, "TOKEN_INVALID");
        }
        // The health service answers probes without credentials.
        var health = await new Health.HealthClient(host.Channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);

        var denied = (await AuditAsync("unauthenticated")).Where(r => r.Action == "Tenants/CreateTenant").ToList();
        Assert.Equal(7, denied.Count(r => r.Decision == "denied"));
        Assert.Equal(6, denied.Count(r => r.Reason == "TOKEN_INVALID"));
        await Api.FailsAsync(() => Tenants("svc:tooling").GetTenantAsync(new GetTenantRequest { Id = "unauth-t" }).ResponseAsync, StatusCode.NotFound, "TENANT_NOT_FOUND");
    }

    [Fact]
    public async Task A_service_account_authenticates_with_its_certificate_never_with_a_token()
    {
        // A well-signed, short-lived token naming the tooling's service account: refused before its roles are looked at.
        var token = host.Token("svc:tooling", "", mfa: false);
        await Api.FailsAsync(() => new Contracts.V1.Tenants.TenantsClient(host.WithToken(token)).ListTenantsAsync(new ListTenantsRequest()).ResponseAsync,
            StatusCode.Unauthenticated, "SERVICE_ACCOUNT_TOKEN");
        var refused = await Assert.ThrowsAsync<RpcException>(() => new Access.AccessClient(host.WithToken(token)).WhoAmIAsync(new WhoAmIRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("client certificate", refused.Status.Detail);

        // The same service account with its client certificate of the operator's CA.
        var me = await new Access.AccessClient(host.As("svc:tooling")).WhoAmIAsync(new WhoAmIRequest());
        Assert.Equal(("svc:tooling", PrincipalKind.Service, Role.Tooling), (me.Principal.Id, me.Principal.Kind, Assert.Single(me.Roles).Role));
        Assert.NotNull(await Tenants("svc:tooling").ListTenantsAsync(new ListTenantsRequest()));
        Assert.Contains(await AuditAsync("unauthenticated"), r => r.Action == "Tenants/ListTenants" && r.Reason == "SERVICE_ACCOUNT_TOKEN");
    }

    [Fact]
    public async Task Authenticated_principals_act_only_once_registered_and_within_their_roles()
    {
        await Api.FailsAsync(() => new Access.AccessClient(host.As("stranger")).WhoAmIAsync(new WhoAmIRequest()).ResponseAsync,
            StatusCode.PermissionDenied, "PRINCIPAL_NOT_REGISTERED");
        var tenant = new CreateTenantRequest { Id = "roles-t", Quota = Api.Res(2, 4) };
        tenant.AllowedRegions.Add("france-centre");
        await Api.FailsAsync(() => Tenants("aud-1").CreateTenantAsync(tenant).ResponseAsync, StatusCode.PermissionDenied, "ROLE_REQUIRED");
        await Api.FailsAsync(() => Tenants("nobody").CreateTenantAsync(tenant).ResponseAsync, StatusCode.PermissionDenied, "ROLE_REQUIRED");
        await Api.FailsAsync(() => new Contracts.V1.Audit.AuditClient(host.As("svc:tooling")).VerifyAuditLogAsync(new VerifyAuditLogRequest()).ResponseAsync,
            StatusCode.PermissionDenied, "ROLE_REQUIRED");
        await Api.FailsAsync(() => new Access.AccessClient(host.As("op-idf-1")).AssignRoleAsync(new AssignRoleRequest
        {
            Principal = "op-idf-1", Role = Role.SecurityOfficer, Scope = "platform",
        }).ResponseAsync, StatusCode.PermissionDenied, "ROLE_REQUIRED");

        var me = await new Access.AccessClient(host.As("op-idf-1")).WhoAmIAsync(new WhoAmIRequest());
        Assert.Equal(("op-idf-1", "idf", "operator", true), (me.Principal.Id, me.Principal.OpsCentre, me.Principal.Employer, me.Mfa));
        Assert.Equal(Role.Operator, Assert.Single(me.Roles).Role);
        Assert.True(me.PlatformSealed);

        var denials = (await AuditAsync("aud-1")).Where(r => r.Decision == "denied" && r.Action == "Tenants/CreateTenant").ToList();
        Assert.Contains(denials, r => r.Reason == "ROLE_REQUIRED" && r.Role == "auditor@platform");
    }

    [Fact]
    public async Task Vendor_personnel_get_nothing_while_sealed()
    {
        var vendor = new Contracts.V1.Topology.TopologyClient(host.As("vendor-1"));
        await Api.FailsAsync(() => vendor.ListRegionsAsync(new ListRegionsRequest()).ResponseAsync, StatusCode.PermissionDenied, "PLATFORM_SEALED");
        await Api.FailsAsync(() => new Servers.ServersClient(host.As("vendor-1")).CordonServerAsync(new ServerRequest { Id = Server }).ResponseAsync,
            StatusCode.PermissionDenied, "PLATFORM_SEALED");
        Assert.Contains(await AuditAsync("vendor-1"), r => r.Reason == "PLATFORM_SEALED" && r.Action == "Servers/CordonServer" && r.OpsCentre == "idf");
    }

    [Fact]
    public async Task Infrastructure_is_administered_by_the_piloting_centre_from_the_EU()
    {
        var servers = (string who, string loc, bool mfa) => new Servers.ServersClient(host.As(who, loc, mfa));
        await Api.FailsAsync(() => servers("op-rennes", "FR", true).CordonServerAsync(new ServerRequest { Id = Server }).ResponseAsync,
            StatusCode.PermissionDenied, "WRONG_OPS_CENTRE");
        await Api.FailsAsync(() => servers("op-idf-1", "US", true).CordonServerAsync(new ServerRequest { Id = Server }).ResponseAsync,
            StatusCode.PermissionDenied, "ADMIN_OUTSIDE_EU");
        await Api.FailsAsync(() => servers("op-idf-1", "FR", false).CordonServerAsync(new ServerRequest { Id = Server }).ResponseAsync,
            StatusCode.PermissionDenied, "MFA_REQUIRED");
        await Api.FailsAsync(() => servers("svc:tooling", "", false).CordonServerAsync(new ServerRequest { Id = Server }).ResponseAsync,
            StatusCode.PermissionDenied, "ROLE_REQUIRED");
        var cordoned = await servers("op-idf-2", "DE", true).CordonServerAsync(new ServerRequest { Id = Server });
        Assert.Equal(ServerLifecycle.Cordoned, cordoned.Lifecycle);
        await servers("op-idf-2", "DE", true).UncordonServerAsync(new ServerRequest { Id = Server });
    }

    [Fact]
    public async Task A_servers_drain_is_an_operation_of_the_infrastructure_read_by_operators_and_the_tooling_only()
    {
        const string empty = "fr-centre-1-r040-s11";
        var servers = new Servers.ServersClient(host.As("op-idf-2", "DE"));
        await Api.FailsAsync(() => new Servers.ServersClient(host.As("op-rennes")).DrainServerAsync(new ServerRequest { Id = empty }).ResponseAsync,
            StatusCode.PermissionDenied, "WRONG_OPS_CENTRE");
        var drained = await servers.DrainServerAsync(new ServerRequest { Id = empty });
        try
        {
            Assert.Equal(ServerLifecycle.Drained, drained.Lifecycle);
            var read = (CallInvoker who) => new Provisioning.ProvisioningClient(who).WaitOperationAsync(new WaitOperationRequest
            {
                Id = drained.DrainOperationId, Timeout = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(10)),
            }).ResponseAsync;
            // Reading is not piloting: an operator of the other centre, and the tooling, follow it too.
            foreach (var who in new[] { host.As("op-idf-2", "DE"), host.As("op-rennes"), host.Service("tooling").CreateCallInvoker() })
            {
                var drain = await read(who);
                Assert.Equal((OperationKind.DrainServer, OperationState.Succeeded, empty, ""), (drain.Kind, drain.State, drain.ServerId, drain.TenantId));
            }
            await Api.FailsAsync(() => read(host.As("aud-1")), StatusCode.PermissionDenied, "ROLE_REQUIRED");
            await Api.FailsAsync(() => read(host.As("nobody")), StatusCode.PermissionDenied, "ROLE_REQUIRED");
        }
        finally
        {
            await servers.UncordonServerAsync(new ServerRequest { Id = empty });
        }
    }

    [Fact]
    public async Task Operators_reach_a_tenant_only_through_a_lockbox_grant()
    {
        var (tenant, instance) = await TenantWithInstanceAsync("lockbox-t");
        var access = new Access.AccessClient(host.As("so-1"));
        await access.RegisterPrincipalAsync(new RegisterPrincipalRequest
        {
            Principal = new Principal { Id = "lockbox-admin", Kind = PrincipalKind.Person, Employer = "operator" },
        });
        await access.AssignRoleAsync(new AssignRoleRequest { Principal = "lockbox-admin", Role = Role.TenantAdmin, Scope = $"tenant:{tenant}" });

        var operatorView = new Provisioning.ProvisioningClient(host.As("op-idf-1"));
        await Api.FailsAsync(() => operatorView.GetInstanceAsync(new GetInstanceRequest { Id = instance }).ResponseAsync,
            StatusCode.PermissionDenied, "LOCKBOX_GRANT_REQUIRED");
        var lockbox = new Lockbox.LockboxClient(host.As("op-idf-1"));
        var grant = await lockbox.RequestTenantAccessAsync(new RequestTenantAccessRequest
        {
            TenantId = tenant, Justification = "incident 12", Duration = Duration.FromTimeSpan(TimeSpan.FromHours(1)),
        });
        await Api.FailsAsync(() => lockbox.ApproveTenantAccessAsync(new TenantAccessRequest { TenantId = tenant, GrantId = grant.Id }).ResponseAsync,
            StatusCode.PermissionDenied, "ROLE_REQUIRED");
        // The tenant's administrator sees its own instance, not another tenant's.
        Assert.Equal(instance, (await new Provisioning.ProvisioningClient(host.As("lockbox-admin")).GetInstanceAsync(new GetInstanceRequest { Id = instance })).Id);
        await Api.FailsAsync(() => new Contracts.V1.Tenants.TenantsClient(host.As("lockbox-admin")).ListTenantsAsync(new ListTenantsRequest()).ResponseAsync,
            StatusCode.PermissionDenied, "ROLE_REQUIRED");
        var approved = await new Lockbox.LockboxClient(host.As("lockbox-admin")).ApproveTenantAccessAsync(new TenantAccessRequest { TenantId = tenant, GrantId = grant.Id });
        Assert.Equal(AccessGrantState.Active, approved.State);

        Assert.Equal(instance, (await operatorView.GetInstanceAsync(new GetInstanceRequest { Id = instance })).Id);
        var who = await new Access.AccessClient(host.As("aud-1")).WhoCanAsync(new WhoCanRequest { Scope = $"tenant:{tenant}" });
        Assert.Contains(who.Entries, e => e.Principal == "op-idf-1" && e.Condition.Contains(grant.Id));
        Assert.Contains(who.Entries, e => e.Principal == "lockbox-admin" && e.Role == Role.TenantAdmin);
        // A resource answers for its scope: the instance for its tenant, a server for its region.
        var forInstance = await new Access.AccessClient(host.As("aud-1")).WhoCanAsync(new WhoCanRequest { Scope = $"instance:{instance}" });
        Assert.Equal(who.Entries, forInstance.Entries);
        var forServer = await new Access.AccessClient(host.As("aud-1")).WhoCanAsync(new WhoCanRequest { Scope = $"server:{Server}" });
        Assert.Contains(forServer.Entries, e => e.Principal == "op-idf-2" && e.Scope == "region:france-centre" && e.Condition.Contains("piloted by idf"));
        Assert.DoesNotContain(forServer.Entries, e => e.Role == Role.TenantAdmin);

        await new Lockbox.LockboxClient(host.As("lockbox-admin")).RevokeTenantAccessAsync(new TenantAccessRequest { TenantId = tenant, GrantId = grant.Id });
        await Api.FailsAsync(() => operatorView.GetInstanceAsync(new GetInstanceRequest { Id = instance }).ResponseAsync,
            StatusCode.PermissionDenied, "LOCKBOX_GRANT_REQUIRED");
    }

    [Fact]
    public async Task A_tenant_export_needs_four_eyes()
    {
        var (tenant, instance) = await TenantWithInstanceAsync("export-t");
        var export = new DataExport.DataExportClient(host.As("svc:tooling"));
        await Api.FailsAsync(() => export.ExportTenantAsync(new ExportTenantRequest { TenantId = tenant }).ResponseAsync,
            StatusCode.FailedPrecondition, "APPROVAL_REQUIRED");
        var request = await new Approvals.ApprovalsClient(host.As("svc:tooling")).RequestApprovalAsync(new RequestApprovalRequest
        {
            Action = ApprovalAction.ExportTenant, Target = tenant, Justification = "tenant asked for its data",
        });
        await Api.FailsAsync(() => new Approvals.ApprovalsClient(host.As("svc:tooling")).ApproveAsync(new DecideApprovalRequest { Id = request.Id }).ResponseAsync,
            StatusCode.PermissionDenied, "SELF_APPROVAL");
        await Api.FailsAsync(() => new Approvals.ApprovalsClient(host.As("op-idf-1")).ApproveAsync(new DecideApprovalRequest { Id = request.Id }).ResponseAsync,
            StatusCode.PermissionDenied, "ROLE_REQUIRED");
        await Api.FailsAsync(() => export.ExportTenantAsync(new ExportTenantRequest { TenantId = tenant, ApprovalId = request.Id }).ResponseAsync,
            StatusCode.FailedPrecondition, "APPROVAL_NOT_USABLE");
        var approved = await new Approvals.ApprovalsClient(host.As("so-2")).ApproveAsync(new DecideApprovalRequest { Id = request.Id });
        Assert.Equal(("so-2", ApprovalState.Approved), (approved.Approver, approved.State));

        var data = await export.ExportTenantAsync(new ExportTenantRequest { TenantId = tenant, ApprovalId = request.Id });
        Assert.Equal(tenant, data.Tenant.Id);
        Assert.Equal(instance, Assert.Single(data.Instances).Id);
        Assert.Contains(data.AuditRecords, r => r.Action == "Provisioning/CreateInstance" && r.Principal == "svc:tooling");
        await Api.FailsAsync(() => export.ExportTenantAsync(new ExportTenantRequest { TenantId = tenant, ApprovalId = request.Id }).ResponseAsync,
            StatusCode.FailedPrecondition, "APPROVAL_NOT_USABLE");
        var records = await AuditAsync("svc:tooling");
        Assert.Contains(records, r => r.Action == "DataExport/ExportTenant" && r.Decision == "allowed" && r.TenantId == tenant);
    }

    [Fact]
    public async Task One_approval_serves_one_export_even_when_sixteen_are_sent_at_once()
    {
        var (tenant, _) = await TenantWithInstanceAsync("export-race");
        var request = await new Approvals.ApprovalsClient(host.As("svc:tooling")).RequestApprovalAsync(new RequestApprovalRequest
        {
            Action = ApprovalAction.ExportTenant, Target = tenant, Justification = "tenant asked for its data",
        });
        await new Approvals.ApprovalsClient(host.As("so-2")).ApproveAsync(new DecideApprovalRequest { Id = request.Id });
        var export = new DataExport.DataExportClient(host.As("svc:tooling"));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            try
            {
                await export.ExportTenantAsync(new ExportTenantRequest { TenantId = tenant, ApprovalId = request.Id });
                return "OK";
            }
            catch (RpcException e)
            {
                return e.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason ?? e.StatusCode.ToString();
            }
        }));

        Assert.Equal(1, outcomes.Count(o => o == "OK"));
        Assert.All(outcomes.Where(o => o != "OK"), o => Assert.Equal("APPROVAL_NOT_USABLE", o));
    }

    [Fact]
    public async Task Reflection_without_credentials_is_unauthenticated_not_unknown()
    {
        using var call = new Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(host.Channel).ServerReflectionInfo();
        try
        {
            await call.RequestStream.WriteAsync(new Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = "" });
            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException)
        {
            // The server may refuse the call before the request is written; its status is read below either way.
        }

        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Equal("UNAUTHENTICATED", e.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason);
    }

    [Fact]
    public async Task What_is_sold_in_a_region_is_changed_only_from_the_centre_that_pilots_it()
    {
        var request = new SetOfferStateRequest { Id = "office-e3", Region = "france-centre", State = OfferState.Qualification, Reason = "test" };

        await Api.FailsAsync(() => new Catalog.CatalogClient(host.As("op-rennes")).SetOfferStateAsync(request).ResponseAsync,
            StatusCode.PermissionDenied, "WRONG_OPS_CENTRE");
        // Île-de-France pilots France Centre: its operator gets past the rule, to the offer's own lifecycle check.
        await Api.FailsAsync(() => new Catalog.CatalogClient(host.As("op-idf-1")).SetOfferStateAsync(request).ResponseAsync,
            StatusCode.FailedPrecondition, "OFFER_TRANSITION_INVALID");
    }
}
