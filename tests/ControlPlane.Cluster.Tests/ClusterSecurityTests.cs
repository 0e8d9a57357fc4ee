using System.Security.Cryptography.X509Certificates;
using ControlPlane.Contracts.V1;
using ControlPlane.Grains.Abstractions.Audit;
using ControlPlane.Grains.Abstractions.Errors;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Npgsql;
using GrainAccess = ControlPlane.Grains.Abstractions.Access;

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

    /// <summary>
    /// What the security review did with the tooling's certificate, tried again with a silo certificate (the only kind the Orleans
    /// ports accept): grain calls carrying no caller are refused by the silo before the grain runs, a read as much as a change.
    /// </summary>
    [Fact]
    public async Task A_grain_call_without_a_caller_is_refused_even_from_an_Orleans_client_holding_a_silo_certificate()
    {
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(cluster.Pki("ca.pem")));
        using var silo = OrleansPorts.Load(cluster.Pki("silo2.pem"), cluster.Pki("silo2.key"));
        var now = DateTimeOffset.UtcNow;
        var refused = await OrleansPorts.AsClientAsync(cluster.OrleansGatewayPort(1), silo, ca, TimeSpan.FromSeconds(60), async client =>
        {
            var access = client.GetGrain<GrainAccess.IAccessControlGrain>(GrainAccess.IAccessControlGrain.Key);
            var audit = client.GetGrain<IAuditLogGrain>(IAuditLogGrain.Key);
            return new[]
            {
                await Record.ExceptionAsync(() => access.BootstrapAsync(
                    [new GrainAccess.PrincipalRecord("intruder-1", GrainAccess.PrincipalKind.Person, "intruder", GrainAccess.Employers.Operator, "idf", now, "")],
                    [new GrainAccess.RoleAssignment("intruder-1", GrainAccess.Role.SecurityOfficer, GrainAccess.Scopes.Platform, now, "")])),
                await Record.ExceptionAsync(() => audit.PruneAsync(DateTimeOffset.MaxValue)),
                await Record.ExceptionAsync(() => audit.AppendAsync(new AuditEntry("security-officer-1", "security-officer@platform", "idf", "Access/Forged", "x", "", "allowed", "", ""))),
                await Record.ExceptionAsync(() => access.GetSnapshotAsync()),
            };
        });

        Assert.All(refused, e =>
        {
            var error = Assert.IsType<ControlPlaneException>(e).Error;
            Assert.Equal((ErrorStatus.Unauthenticated, ErrorReasons.CallerRequired), (error.Code, error.Reason));
        });
        // Nothing happened: the intruder is not registered, the log keeps its records and holds no forged one.
        var unknown = await Assert.ThrowsAsync<RpcException>(() => new Access.AccessClient(cluster.As(1, "security-officer-1"))
            .WhatCanAsync(new WhatCanRequest { Principal = "intruder-1" }, deadline: Calls.Deadline()).ResponseAsync);
        Assert.Equal("PRINCIPAL_NOT_FOUND", Reason(unknown));
        var records = await cluster.Audit(1).ListAuditRecordsAsync(new ListAuditRecordsRequest { Principal = "security-officer-1" }, deadline: Calls.Deadline());
        Assert.DoesNotContain(records.Records, r => r.Action == "Access/Forged");
        Assert.True((await cluster.Audit(1).VerifyAuditLogAsync(new VerifyAuditLogRequest(), deadline: Calls.Deadline())).Valid);
    }

    /// <summary>The cluster's PostgreSQL asks every connection for its password (scram-sha-256), on TCP and on its local socket.</summary>
    [Fact]
    public async Task PostgreSQL_refuses_connections_without_the_password_as_the_superuser_and_as_the_silos_role()
    {
        foreach (var role in new[] { "postgres", "controlplane" })
        {
            foreach (var socket in new[] { false, true })
            {
                var without = await Record.ExceptionAsync(() => OpenAsync(cluster.PostgresWithoutPassword(role, socket)));
                Assert.True(without is NpgsqlException, $"{role} without a password over {(socket ? "the socket" : "TCP")}: {without?.Message ?? "connected"}");
                var wrong = await Record.ExceptionAsync(() => OpenAsync($"{cluster.PostgresWithoutPassword(role, socket)};Password=not-the-password"));
                Assert.Equal("28P01", Assert.IsType<PostgresException>(wrong).SqlState);
            }
        }
        await using var silos = new NpgsqlConnection(cluster.ConnectionString);
        await silos.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT rolsuper OR rolcreatedb OR rolcreaterole FROM pg_roles WHERE rolname = current_user", silos);
        Assert.Equal(false, await command.ExecuteScalarAsync());
    }

    private static async Task OpenAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
    }
}
