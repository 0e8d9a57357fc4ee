using ControlPlane.Contracts.V1;
using Requests = ControlPlane.Grains.Abstractions.Operations.Requests;
using Grpc.Core;

namespace ControlPlane.IntegrationTests;

/// <summary>validate_only over real gRPC: a dry run answers what the real request would, and changes nothing.</summary>
[Collection(HostCollection.Name)]
public sealed class DryRunTests(HostFixture host)
{
    private Servers.ServersClient Servers => new(host.Channel);

    private Services.ServicesClient ServicesApi => new(host.Channel);

    private DisasterRecovery.DisasterRecoveryClient Recovery => new(host.Channel);

    private Task<Operation> DryRunAsync(string tenant, string name, string size, string zone = "", string? requestId = null) =>
        host.Provisioning.CreateInstanceAsync(new CreateInstanceRequest
        {
            RequestId = requestId ?? Guid.NewGuid().ToString(), TenantId = tenant, Name = name, Size = size, Region = "france-centre", Zone = zone,
            ValidateOnly = true,
        }).ResponseAsync;

    [Fact]
    public async Task A_valid_dry_run_create_answers_ok_holds_nothing_and_leaves_its_request_id_free()
    {
        await host.CreateTenantAsync("dry-ok", Api.Res(64, 256), "france-centre");
        await host.WaitAsync(await host.CreateInstanceAsync("dry-ok", "existing", "Standard_D2s_v5"));
        var tenantBefore = await host.Tenants.GetTenantAsync(new GetTenantRequest { Id = "dry-ok" });

        var dry = await DryRunAsync("dry-ok", "web-2", "Standard_D4s_v5", requestId: "dry-ok-req");

        Assert.True(dry.ValidateOnly);
        Assert.Equal(("", OperationState.Unspecified, OperationKind.CreateInstance), (dry.Id, dry.State, dry.Kind));
        Assert.Equal(("dry-ok-req", "dry-ok"), (dry.RequestId, dry.TenantId));
        Assert.Empty(dry.InstanceIds);
        var zone = Assert.Single(dry.ValidatedZones);
        Assert.StartsWith("fr-centre-", zone);
        var zoneBefore = await ZoneUsageAsync(zone);

        // Nothing changed: usage, instances, the operation its request_id leads to, the zone's allocations.
        var tenantAfter = await host.Tenants.GetTenantAsync(new GetTenantRequest { Id = "dry-ok" });
        Assert.Equal((tenantBefore.Usage, tenantBefore.InstanceCount), (tenantAfter.Usage, tenantAfter.InstanceCount));
        var listed = await host.Provisioning.ListInstancesAsync(new ListInstancesRequest { TenantId = "dry-ok" });
        Assert.Equal("existing", Assert.Single(listed.Instances).Name);
        var wouldBe = Requests.OperationId("tenant:dry-ok", "dry-ok-req");
        await Api.FailsAsync(() => host.Provisioning.GetOperationAsync(new GetOperationRequest { Id = wouldBe }).ResponseAsync,
            StatusCode.NotFound, "OPERATION_NOT_FOUND");
        var operations = await host.Provisioning.ListOperationsAsync(new ListOperationsRequest { TenantId = "dry-ok" });
        Assert.DoesNotContain(operations.Operations, o => o.RequestId == "dry-ok-req");
        Assert.Equal(zoneBefore, await ZoneUsageAsync(zone));

        // The same request_id then makes the real instance, with the same body.
        var real = await host.Provisioning.CreateInstanceAsync(new CreateInstanceRequest
        {
            RequestId = "dry-ok-req", TenantId = "dry-ok", Name = "web-2", Size = "Standard_D4s_v5", Region = "france-centre",
        });
        Assert.Equal(wouldBe, real.Id);
        Assert.False(real.ValidateOnly);
        Assert.Equal(OperationState.Succeeded, (await host.WaitAsync(real)).State);
        var tenantLast = await host.Tenants.GetTenantAsync(new GetTenantRequest { Id = "dry-ok" });
        Assert.Equal((tenantBefore.Usage.Cores + 4, tenantBefore.InstanceCount + 1), (tenantLast.Usage.Cores, tenantLast.InstanceCount));

        // A dry run of a request that already started its operation answers that operation, as a retry would.
        var again = await DryRunAsync("dry-ok", "web-2", "Standard_D4s_v5", requestId: "dry-ok-req");
        Assert.Equal((real.Id, true), (again.Id, again.ValidateOnly));
        await Api.FailsAsync(() => DryRunAsync("dry-ok", "web-3", "Standard_D4s_v5", requestId: "dry-ok-req"), StatusCode.AlreadyExists, "IDEMPOTENCY_KEY_REUSED");
    }

    [Fact]
    public async Task A_dry_run_over_quota_answers_as_the_real_create_does()
    {
        await host.CreateTenantAsync("dry-quota", Api.Res(10, 64), "france-centre");
        await host.WaitAsync(await host.CreateInstanceAsync("dry-quota", "a", "Standard_D8s_v5"));

        var (dry, _) = await Api.FailsAsync(() => DryRunAsync("dry-quota", "b", "Standard_D4s_v5"), StatusCode.ResourceExhausted, "QUOTA_EXCEEDED");
        var (real, _) = await Api.FailsAsync(() => host.CreateInstanceAsync("dry-quota", "b", "Standard_D4s_v5"), StatusCode.ResourceExhausted, "QUOTA_EXCEEDED");

        Assert.Equal(real.Metadata["dimension"], dry.Metadata["dimension"]);
        Assert.Equal(real.Metadata["requested"], dry.Metadata["requested"]);
        Assert.False(dry.Metadata.ContainsKey("operation_id"));
        // A name already taken is refused as the real create refuses it.
        await Api.FailsAsync(() => DryRunAsync("dry-quota", "a", "Standard_D2s_v5"), StatusCode.AlreadyExists, "INSTANCE_NAME_TAKEN");
    }

    [Theory]
    [InlineData("Standard_Z99", "", "size", "UNKNOWN_SIZE")]
    [InlineData("Standard_D2s_v5", "fr-centre-9", "zone", "UNKNOWN_ZONE")]
    [InlineData("Standard_D2s_v5", "fr-sud-1", "zone", "ZONE_NOT_IN_REGION")]
    public async Task A_dry_run_with_an_unknown_size_or_zone_is_invalid_argument_with_the_real_reason(string size, string zone, string field, string reason)
    {
        await host.CreateTenantAsync("dry-bad-" + field + zone.Length, Api.Res(64, 256), "france-centre");
        var tenant = "dry-bad-" + field + zone.Length;

        var (_, dry) = await Api.FailsAsync(() => DryRunAsync(tenant, "vm", size, zone), StatusCode.InvalidArgument, reason);
        var (_, real) = await Api.FailsAsync(() => host.CreateInstanceAsync(tenant, "vm", size, zone: zone), StatusCode.InvalidArgument, reason);

        Assert.Contains(dry!.FieldViolations, v => v.Field == field);
        Assert.Equal(real!.FieldViolations.Select(v => v.Field), dry.FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task A_dry_run_drain_of_a_failed_server_is_refused_as_the_real_one_and_changes_nothing()
    {
        var serverId = await EmptyServerAsync("fr-sud-1");
        await Servers.MarkServerFailedAsync(new MarkServerFailedRequest { Id = serverId, Reason = "dry-run test" });

        var (dry, _) = await Api.FailsAsync(() => Servers.DrainServerAsync(new ServerRequest { Id = serverId, ValidateOnly = true }).ResponseAsync,
            StatusCode.FailedPrecondition, "SERVER_STATE_CONFLICT");
        var (real, _) = await Api.FailsAsync(() => Servers.DrainServerAsync(new ServerRequest { Id = serverId }).ResponseAsync,
            StatusCode.FailedPrecondition, "SERVER_STATE_CONFLICT");

        Assert.Equal(real.Metadata["lifecycle"], dry.Metadata["lifecycle"]);
        var server = await host.Topology.GetServerAsync(new GetServerRequest { Id = serverId });
        Assert.Equal((ServerLifecycle.Failed, "dry-run test"), (server.Lifecycle, server.LifecycleReason));

        // A dry run that would succeed answers the server as it would be, and leaves it as it is.
        var commission = await Servers.CommissionServerAsync(new ServerRequest { Id = serverId, ValidateOnly = true });
        Assert.Equal(ServerLifecycle.Active, commission.Lifecycle);
        Assert.Equal(ServerLifecycle.Failed, (await host.Topology.GetServerAsync(new GetServerRequest { Id = serverId })).Lifecycle);

        // Back in service for the other tests of the host.
        Assert.Equal(ServerLifecycle.Active, (await Servers.CommissionServerAsync(new ServerRequest { Id = serverId })).Lifecycle);
    }

    [Fact]
    public async Task A_dry_run_cordon_answers_the_cordoned_server_and_it_stays_active()
    {
        var serverId = await EmptyServerAsync("fr-sud-1", skip: 1);

        var dry = await Servers.CordonServerAsync(new ServerRequest { Id = serverId, ValidateOnly = true });

        Assert.Equal(ServerLifecycle.Cordoned, dry.Lifecycle);
        Assert.Equal(ServerLifecycle.Active, (await host.Topology.GetServerAsync(new GetServerRequest { Id = serverId })).Lifecycle);
    }

    [Fact]
    public async Task A_dry_run_cancel_answers_the_instances_it_would_delete_changes_nothing_and_is_refused_as_the_real_one()
    {
        await host.CreateTenantAsync("dry-cancel", Api.Res(100, 1000), "france-centre");
        var ordered = await host.WaitAsync(await ServicesApi.OrderServiceAsync(new OrderServiceRequest
        {
            RequestId = Guid.NewGuid().ToString(), TenantId = "dry-cancel", Name = "civil", OfferId = "mkt-etat-civil", Region = "france-centre",
        }));
        var before = await ServicesApi.GetServiceAsync(new GetServiceRequest { Id = ordered.ServiceId });

        var dry = await ServicesApi.CancelServiceAsync(new CancelServiceRequest { RequestId = "dry-cancel-req", ServiceId = before.Id, ValidateOnly = true });

        Assert.True(dry.ValidateOnly);
        Assert.Equal(("", OperationState.Unspecified, OperationKind.CancelService), (dry.Id, dry.State, dry.Kind));
        Assert.Equal((before.Id, "dry-cancel"), (dry.ServiceId, dry.TenantId));
        Assert.Equal(before.InstanceIds, dry.InstanceIds);
        Assert.NotEmpty(dry.InstanceIds);
        // Nothing changed: the service, its instances, the operation its request_id leads to.
        var after = await ServicesApi.GetServiceAsync(new GetServiceRequest { Id = before.Id });
        Assert.Equal((ServiceState.Active, before.UpdateTime), (after.State, after.UpdateTime));
        var instances = (await host.Provisioning.ListInstancesAsync(new ListInstancesRequest { TenantId = "dry-cancel" })).Instances;
        Assert.All(instances, i => Assert.Equal(InstanceState.Running, i.State));
        await Api.FailsAsync(() => host.Provisioning.GetOperationAsync(new GetOperationRequest { Id = Requests.OperationId("service:" + before.Id, "dry-cancel-req") }).ResponseAsync,
            StatusCode.NotFound, "OPERATION_NOT_FOUND");

        // The same request_id then cancels it for real.
        var real = await host.WaitAsync(await ServicesApi.CancelServiceAsync(new CancelServiceRequest { RequestId = "dry-cancel-req", ServiceId = before.Id }));
        Assert.Equal(OperationState.Succeeded, real.State);

        // A cancelled service is refused by both with the same reason and state.
        var (dryRefusal, _) = await Api.FailsAsync(() => ServicesApi.CancelServiceAsync(
            new CancelServiceRequest { RequestId = Guid.NewGuid().ToString(), ServiceId = before.Id, ValidateOnly = true }).ResponseAsync,
            StatusCode.FailedPrecondition, "SERVICE_STATE_CONFLICT");
        var (realRefusal, _) = await Api.FailsAsync(() => ServicesApi.CancelServiceAsync(
            new CancelServiceRequest { RequestId = Guid.NewGuid().ToString(), ServiceId = before.Id }).ResponseAsync,
            StatusCode.FailedPrecondition, "SERVICE_STATE_CONFLICT");
        Assert.Equal(realRefusal.Metadata["state"], dryRefusal.Metadata["state"]);
        Assert.False(dryRefusal.Metadata.ContainsKey("operation_id"));
    }

    [Fact]
    public async Task A_dry_run_seat_change_answers_the_service_as_it_would_be_and_leaves_its_seats()
    {
        await host.CreateTenantAsync("dry-seats", Api.Res(8, 32), "france-centre");
        var ordered = await host.WaitAsync(await ServicesApi.OrderServiceAsync(new OrderServiceRequest
        {
            RequestId = Guid.NewGuid().ToString(), TenantId = "dry-seats", Name = "mail", OfferId = "office-e3", Region = "france-centre", Seats = 12,
        }));

        var dry = await ServicesApi.SetServiceSeatsAsync(new SetServiceSeatsRequest { ServiceId = ordered.ServiceId, Seats = 20, ValidateOnly = true });

        Assert.Equal((ServiceState.Active, 20), (dry.State, dry.Seats));
        Assert.Equal(12, (await ServicesApi.GetServiceAsync(new GetServiceRequest { Id = ordered.ServiceId })).Seats);

        // Once cancelled, both refuse the change with the same reason.
        await host.WaitAsync(await ServicesApi.CancelServiceAsync(new CancelServiceRequest { RequestId = Guid.NewGuid().ToString(), ServiceId = ordered.ServiceId }));
        var (dryRefusal, _) = await Api.FailsAsync(() => ServicesApi.SetServiceSeatsAsync(
            new SetServiceSeatsRequest { ServiceId = ordered.ServiceId, Seats = 20, ValidateOnly = true }).ResponseAsync,
            StatusCode.FailedPrecondition, "SERVICE_STATE_CONFLICT");
        var (realRefusal, _) = await Api.FailsAsync(() => ServicesApi.SetServiceSeatsAsync(
            new SetServiceSeatsRequest { ServiceId = ordered.ServiceId, Seats = 20 }).ResponseAsync,
            StatusCode.FailedPrecondition, "SERVICE_STATE_CONFLICT");
        Assert.Equal(realRefusal.Metadata["state"], dryRefusal.Metadata["state"]);
        Assert.Equal(12, (await ServicesApi.GetServiceAsync(new GetServiceRequest { Id = ordered.ServiceId })).Seats);
    }

    [Fact]
    public async Task A_dry_run_protection_answers_as_the_real_one_reserves_nothing_and_is_refused_as_the_real_one()
    {
        await host.CreateTenantAsync("dry-dr", Api.Res(16, 64), "france-centre", "france-sud");
        var instanceId = (await host.WaitAsync(await host.CreateInstanceAsync("dry-dr", "db", "Standard_D2s_v5"))).InstanceId;
        var goneId = (await host.WaitAsync(await host.CreateInstanceAsync("dry-dr", "gone", "Standard_D2s_v5"))).InstanceId;
        await host.WaitAsync(await host.Provisioning.DeleteInstanceAsync(new DeleteInstanceRequest { RequestId = Guid.NewGuid().ToString(), InstanceId = goneId }));
        var before = await Recovery.GetRegionProtectionAsync(new GetRegionProtectionRequest { Region = "france-centre" });

        var dry = await Recovery.SetInstanceProtectionAsync(new SetInstanceProtectionRequest { InstanceId = instanceId, Protected = true, ValidateOnly = true });

        Assert.Equal((true, "dry-dr", "Standard_D2s_v5"), (dry.Protected, dry.TenantId, dry.Size));
        // Nothing changed: the instance is not protected, the region counts no more protections nor reservations.
        Assert.False((await host.Provisioning.GetInstanceAsync(new GetInstanceRequest { Id = instanceId })).DrProtected);
        var after = await Recovery.GetRegionProtectionAsync(new GetRegionProtectionRequest { Region = "france-centre" });
        Assert.Equal((before.ProtectedInstances, before.ReservedInstances), (after.ProtectedInstances, after.ReservedInstances));

        // The real call then answers the same protection (the same disaster-recovery region, reservation zone or problem).
        var real = await Recovery.SetInstanceProtectionAsync(new SetInstanceProtectionRequest { InstanceId = instanceId, Protected = true });
        Assert.Equal((real.Protected, real.DrRegion, real.ReservedZone, real.Problem), (dry.Protected, dry.DrRegion, dry.ReservedZone, dry.Problem));
        Assert.True((await host.Provisioning.GetInstanceAsync(new GetInstanceRequest { Id = instanceId })).DrProtected);
        // A dry run of the end of its protection leaves it protected.
        var off = await Recovery.SetInstanceProtectionAsync(new SetInstanceProtectionRequest { InstanceId = instanceId, Protected = false, ValidateOnly = true });
        Assert.False(off.Protected);
        Assert.True((await host.Provisioning.GetInstanceAsync(new GetInstanceRequest { Id = instanceId })).DrProtected);
        await Recovery.SetInstanceProtectionAsync(new SetInstanceProtectionRequest { InstanceId = instanceId, Protected = false });

        // A deleted instance is refused by both with the same reason.
        await Api.FailsAsync(() => Recovery.SetInstanceProtectionAsync(
            new SetInstanceProtectionRequest { InstanceId = goneId, Protected = true, ValidateOnly = true }).ResponseAsync,
            StatusCode.NotFound, "INSTANCE_NOT_FOUND");
        await Api.FailsAsync(() => Recovery.SetInstanceProtectionAsync(
            new SetInstanceProtectionRequest { InstanceId = goneId, Protected = true }).ResponseAsync,
            StatusCode.NotFound, "INSTANCE_NOT_FOUND");
    }

    [Fact]
    public async Task A_dry_run_offer_move_answers_the_offer_as_it_would_be_records_nothing_and_is_refused_as_the_real_one()
    {
        // paas-redis-c1 is in qualification in france-centre (the seeded catalogue; other tests count on it staying so).
        var catalog = new Catalog.CatalogClient(host.Channel);
        var before = await catalog.GetOfferAsync(new GetOfferRequest { Id = "paas-redis-c1" });
        SetOfferStateRequest Move(OfferState to, bool dry) => new()
        {
            Id = "paas-redis-c1", Region = "france-centre", State = to, Actor = "catalogue-team", Reason = "dry-run test", ValidateOnly = dry,
        };

        var dry = await catalog.SetOfferStateAsync(Move(OfferState.Available, dry: true));

        Assert.Equal(OfferState.Available, dry.Regions.Single(r => r.Region == "france-centre").State);
        Assert.Equal(before.History.Count + 1, dry.History.Count);
        Assert.Equal(OfferState.Available, dry.History[^1].To);
        var after = await catalog.GetOfferAsync(new GetOfferRequest { Id = "paas-redis-c1" });
        Assert.Equal(OfferState.Qualification, after.Regions.Single(r => r.Region == "france-centre").State);
        Assert.Equal(before.History, after.History);

        // A move backwards is refused by both with the same reason and states.
        var (dryRefusal, _) = await Api.FailsAsync(() => catalog.SetOfferStateAsync(Move(OfferState.Announced, dry: true)).ResponseAsync,
            StatusCode.FailedPrecondition, "OFFER_TRANSITION_INVALID");
        var (realRefusal, _) = await Api.FailsAsync(() => catalog.SetOfferStateAsync(Move(OfferState.Announced, dry: false)).ResponseAsync,
            StatusCode.FailedPrecondition, "OFFER_TRANSITION_INVALID");
        Assert.Equal((realRefusal.Metadata["state"], realRefusal.Metadata["requested_state"]), (dryRefusal.Metadata["state"], dryRefusal.Metadata["requested_state"]));
    }

    [Fact]
    public async Task Dry_run_registrations_assignments_and_revocations_answer_as_the_real_ones_and_store_nothing()
    {
        var access = new Access.AccessClient(host.Channel);
        RegisterPrincipalRequest Register(string employer, bool dry) => new()
        {
            Principal = new Principal { Id = "dry-person", Kind = PrincipalKind.Person, Employer = employer }, ValidateOnly = dry,
        };
        AssignRoleRequest Assign(bool dry) => new() { Principal = "dry-person", Role = Role.TenantAdmin, Scope = "tenant:dry-access", ValidateOnly = dry };
        async Task<ListPrincipalsResponse> ListAsync() => await access.ListPrincipalsAsync(new ListPrincipalsRequest());

        // Not registered yet: a dry assignment is refused as the real one, a dry registration answers the principal and stores nothing.
        var (dryUnknown, _) = await Api.FailsAsync(() => access.AssignRoleAsync(Assign(dry: true)).ResponseAsync, StatusCode.NotFound, "PRINCIPAL_NOT_FOUND");
        await Api.FailsAsync(() => access.AssignRoleAsync(Assign(dry: false)).ResponseAsync, StatusCode.NotFound, "PRINCIPAL_NOT_FOUND");
        Assert.Equal("dry-person", dryUnknown.Metadata["principal"]);
        var dry = await access.RegisterPrincipalAsync(Register("operator", dry: true));
        Assert.Equal(("dry-person", "operator"), (dry.Id, dry.Employer));
        Assert.DoesNotContain((await ListAsync()).Principals, p => p.Id == "dry-person");

        // Registered: a dry registration with other attributes is refused as the real one.
        await access.RegisterPrincipalAsync(Register("operator", dry: false));
        await Api.FailsAsync(() => access.RegisterPrincipalAsync(Register("vendor", dry: true)).ResponseAsync, StatusCode.AlreadyExists, "PRINCIPAL_ALREADY_EXISTS");
        await Api.FailsAsync(() => access.RegisterPrincipalAsync(Register("vendor", dry: false)).ResponseAsync, StatusCode.AlreadyExists, "PRINCIPAL_ALREADY_EXISTS");
        Assert.Equal("operator", (await ListAsync()).Principals.Single(p => p.Id == "dry-person").Employer);

        // A dry assignment answers it and adds nothing; a dry revocation of a held role keeps it.
        var assignment = await access.AssignRoleAsync(Assign(dry: true));
        Assert.Equal(("dry-person", Role.TenantAdmin, "tenant:dry-access"), (assignment.Principal, assignment.Role, assignment.Scope));
        Assert.DoesNotContain((await ListAsync()).Assignments, a => a.Principal == "dry-person");
        await access.AssignRoleAsync(Assign(dry: false));
        await access.RevokeRoleAsync(new RevokeRoleRequest { Principal = "dry-person", Role = Role.TenantAdmin, Scope = "tenant:dry-access", ValidateOnly = true });
        Assert.Contains((await ListAsync()).Assignments, a => a.Principal == "dry-person" && a.Role == Role.TenantAdmin && a.Scope == "tenant:dry-access");
        await Api.FailsAsync(() => access.RevokeRoleAsync(new RevokeRoleRequest
        {
            Principal = "dry-nobody", Role = Role.TenantAdmin, Scope = "tenant:dry-access", ValidateOnly = true,
        }).ResponseAsync, StatusCode.NotFound, "PRINCIPAL_NOT_FOUND");
    }

    [Fact]
    public async Task Dry_run_topology_changes_answer_the_change_as_it_would_be_recorded_record_nothing_and_are_refused_as_the_real_ones()
    {
        var since = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.UtcNow.AddSeconds(-1));
        var latest = (await host.Topology.ListTopologyChangesAsync(new ListTopologyChangesRequest())).LatestVersion;
        AddZoneRequest Add(string zone, string sku, bool dry) => new()
        {
            Region = "france-centre", Zone = zone, Datacentre = "paris-ouest", Racks = { new RackGroup { Sku = sku, Racks = 1, ServersPerRack = 2 } },
            Actor = "ops-idf", Reason = "dry run", ValidateOnly = dry,
        };

        // Each dry run that would succeed answers the change with the next version; none is recorded.
        var added = await host.Topology.AddZoneAsync(Add("fr-centre-dry", "gp-64", dry: true));
        Assert.Equal((latest + 1, TopologyChangeKind.AddZone, "france-centre", "fr-centre-dry", "paris-ouest", "ops-idf"),
            (added.Version, added.Kind, added.Region, added.Zone, added.Datacentre, added.Actor));
        Assert.Equal(("gp-64", 1, 2), (added.Racks.Single().Sku, added.Racks.Single().Racks, added.Racks.Single().ServersPerRack));
        var role = await host.Topology.SetRegionRoleAsync(new SetRegionRoleRequest
        {
            Region = "france-sud", Role = RegionRole.DisasterRecovery, Actor = "ops-rennes", Reason = "dry run", ValidateOnly = true,
        });
        Assert.Equal((latest + 1, TopologyChangeKind.SetRegionRole, "france-sud", RegionRole.DisasterRecovery), (role.Version, role.Kind, role.Region, role.Role));
        var retire = await host.Topology.RetireZoneAsync(new RetireZoneRequest { Zone = "fr-centre-3", Actor = "ops-idf", Reason = "dry run", ValidateOnly = true });
        Assert.Equal((latest + 1, TopologyChangeKind.RetireZone, "france-centre", "fr-centre-3"), (retire.Version, retire.Kind, retire.Region, retire.Zone));

        Assert.Equal(latest, (await host.Topology.ListTopologyChangesAsync(new ListTopologyChangesRequest())).LatestVersion);
        var zones = (await host.Topology.ListZonesAsync(new ListZonesRequest { Region = "france-centre" })).Zones;
        Assert.DoesNotContain(zones, z => z.Id == "fr-centre-dry");
        Assert.Equal(ZoneState.Active, zones.Single(z => z.Id == "fr-centre-3").State);
        Assert.Equal(RegionRole.Production, (await host.Topology.ListRegionsAsync(new ListRegionsRequest())).Regions.Single(r => r.Id == "france-sud").Role);
        await Api.FailsAsync(() => host.Topology.ListServersAsync(new ListServersRequest { Zone = "fr-centre-dry" }).ResponseAsync, StatusCode.NotFound, "ZONE_NOT_FOUND");

        // What the real change refuses, its dry run refuses with the same status, reason and metadata.
        await Api.SameRefusalAsync(dry => host.Topology.AddZoneAsync(Add("fr-centre-1", "gp-64", dry)).ResponseAsync, StatusCode.AlreadyExists, "ZONE_ALREADY_EXISTS");
        await Api.SameRefusalAsync(dry => host.Topology.AddZoneAsync(Add("fr-centre-9", "gp-999", dry)).ResponseAsync, StatusCode.InvalidArgument, "UNKNOWN_SKU");
        await Api.SameRefusalAsync(dry => host.Topology.SetRegionRoleAsync(new SetRegionRoleRequest
        {
            Region = "france-centre", Role = RegionRole.Production, Actor = "ops-idf", ValidateOnly = dry,
        }).ResponseAsync, StatusCode.FailedPrecondition, "REGION_ROLE_UNCHANGED");
        await Api.SameRefusalAsync(dry => host.Topology.RetireZoneAsync(new RetireZoneRequest { Zone = "fr-sud-1", Actor = "ops-rennes", ValidateOnly = dry }).ResponseAsync,
            StatusCode.FailedPrecondition, "LAST_ZONE_OF_REGION");
        await Api.SameRefusalAsync(dry => host.Topology.RetireZoneAsync(new RetireZoneRequest { Zone = "fr-nowhere-1", Actor = "ops-idf", ValidateOnly = dry }).ResponseAsync,
            StatusCode.NotFound, "ZONE_NOT_FOUND");
        Assert.Equal(latest, (await host.Topology.ListTopologyChangesAsync(new ListTopologyChangesRequest())).LatestVersion);

        // The dry runs are audited as such, apart from the real calls.
        var audit = (await new Audit.AuditClient(host.Channel).ListAuditRecordsAsync(new ListAuditRecordsRequest { Since = since, PageSize = 1000 })).Records;
        Assert.Contains(audit, r => (r.Action, r.Decision) == ("Topology/AddZone?validate_only", "allowed"));
        Assert.Contains(audit, r => (r.Action, r.Reason) == ("Topology/RetireZone?validate_only", "LAST_ZONE_OF_REGION"));
        Assert.Contains(audit, r => (r.Action, r.Reason) == ("Topology/RetireZone", "LAST_ZONE_OF_REGION"));
    }

    [Fact]
    public async Task A_dry_run_failover_or_failback_is_refused_as_the_real_one_and_starts_nothing()
    {
        RegionRecoveryRequest Run(string region, bool dry, string reason = "dry run") =>
            new() { Region = region, Actor = "ops-idf", Reason = reason, ValidateOnly = dry };

        // No region has the disaster-recovery role on this host: there is nowhere to fail over to.
        var nowhere = await Api.SameRefusalAsync(dry => Recovery.FailoverAsync(Run("france-centre", dry)).ResponseAsync, StatusCode.FailedPrecondition, "DR_STATE_CONFLICT");
        Assert.Equal("france-centre", nowhere.Metadata["region"]);
        // Not failed over: nothing to fail back.
        var normal = await Api.SameRefusalAsync(dry => Recovery.FailbackAsync(Run("france-centre", dry)).ResponseAsync, StatusCode.FailedPrecondition, "DR_STATE_CONFLICT");
        Assert.Equal("normal", normal.Metadata["mode"]);
        await Api.SameRefusalAsync(dry => Recovery.FailoverAsync(Run("france-nord", dry)).ResponseAsync, StatusCode.InvalidArgument, "UNKNOWN_REGION");
        await Api.SameRefusalAsync(dry => Recovery.FailoverAsync(Run("france-centre", dry, new string('x', 201))).ResponseAsync, StatusCode.InvalidArgument, "INVALID_ARGUMENT");

        var status = await Recovery.GetRegionProtectionAsync(new GetRegionProtectionRequest { Region = "france-centre" });
        Assert.Equal(DrMode.Normal, status.Mode);
        Assert.Null(status.LastRun);
    }

    [Fact]
    public async Task A_dry_run_delete_answers_the_instance_leaves_it_running_and_its_request_id_free_and_is_refused_as_the_real_one()
    {
        await host.CreateTenantAsync("dry-del", Api.Res(16, 64), "france-centre");
        var instanceId = (await host.WaitAsync(await host.CreateInstanceAsync("dry-del", "web", "Standard_D2s_v5"))).InstanceId;
        DeleteInstanceRequest Delete(string id, bool dry, string requestId = "dry-del-req") => new() { RequestId = requestId, InstanceId = id, ValidateOnly = dry };

        var dry = await host.Provisioning.DeleteInstanceAsync(Delete(instanceId, dry: true));

        Assert.True(dry.ValidateOnly);
        Assert.Equal(("", OperationState.Unspecified, OperationKind.DeleteInstance, instanceId), (dry.Id, dry.State, dry.Kind, dry.InstanceId));
        // Nothing changed: the instance still runs, its request_id leads to no operation.
        Assert.Equal(InstanceState.Running, (await host.Provisioning.GetInstanceAsync(new GetInstanceRequest { Id = instanceId })).State);
        var wouldBe = Requests.OperationId("instance:" + instanceId, "dry-del-req");
        await Api.FailsAsync(() => host.Provisioning.GetOperationAsync(new GetOperationRequest { Id = wouldBe }).ResponseAsync, StatusCode.NotFound, "OPERATION_NOT_FOUND");

        // The same request_id then deletes it for real.
        var real = await host.Provisioning.DeleteInstanceAsync(Delete(instanceId, dry: false));
        Assert.Equal((wouldBe, false), (real.Id, real.ValidateOnly));
        Assert.Equal(OperationState.Succeeded, (await host.WaitAsync(real)).State);

        // An instance that never existed is refused by both with the same reason; only the real one records a failed operation.
        var (dryRefusal, _) = await Api.FailsAsync(() => host.Provisioning.DeleteInstanceAsync(Delete("i-dry-nothing", dry: true, Guid.NewGuid().ToString())).ResponseAsync,
            StatusCode.NotFound, "INSTANCE_NOT_FOUND");
        var (realRefusal, _) = await Api.FailsAsync(() => host.Provisioning.DeleteInstanceAsync(Delete("i-dry-nothing", dry: false, Guid.NewGuid().ToString())).ResponseAsync,
            StatusCode.NotFound, "INSTANCE_NOT_FOUND");
        Assert.Equal(realRefusal.Metadata["instance_id"], dryRefusal.Metadata["instance_id"]);
        Assert.False(dryRefusal.Metadata.ContainsKey("operation_id"));
    }

    [Fact]
    public async Task A_dry_run_zone_redundant_create_answers_a_zone_per_member_creates_nothing_and_is_refused_over_quota_as_the_real_one()
    {
        await host.CreateTenantAsync("dry-zr", Api.Res(16, 64), "france-centre");
        CreateZoneRedundantInstancesRequest Create(string name, bool dry, string requestId = "dry-zr-req") => new()
        {
            RequestId = requestId, TenantId = "dry-zr", Name = name, Size = "Standard_D4s_v5", Region = "france-centre", Count = 3, ValidateOnly = dry,
        };

        var dry = await host.Provisioning.CreateZoneRedundantInstancesAsync(Create("db", dry: true));

        Assert.True(dry.ValidateOnly);
        Assert.Equal(("", OperationState.Unspecified, OperationKind.CreateZoneRedundantInstances), (dry.Id, dry.State, dry.Kind));
        Assert.Equal(3, dry.ValidatedZones.Distinct().Count());
        Assert.All(dry.ValidatedZones, z => Assert.StartsWith("fr-centre-", z));
        // Nothing changed: no instance, no operation, the tenant uses nothing.
        Assert.Empty((await host.Provisioning.ListInstancesAsync(new ListInstancesRequest { TenantId = "dry-zr" })).Instances);
        Assert.Empty((await host.Provisioning.ListOperationsAsync(new ListOperationsRequest { TenantId = "dry-zr" })).Operations);
        Assert.Equal(0, (await host.Tenants.GetTenantAsync(new GetTenantRequest { Id = "dry-zr" })).Usage.Cores);

        // The same request_id then creates the set for real.
        var real = await host.WaitAsync(await host.Provisioning.CreateZoneRedundantInstancesAsync(Create("db", dry: false)));
        Assert.Equal((Requests.OperationId("tenant:dry-zr", "dry-zr-req"), OperationState.Succeeded), (real.Id, real.State));
        Assert.Equal(3, real.InstanceIds.Count);

        // 12 of 16 cores used: another set of three is over quota, dry or not.
        var (dryRefusal, _) = await Api.FailsAsync(() => host.Provisioning.CreateZoneRedundantInstancesAsync(Create("db2", dry: true, Guid.NewGuid().ToString())).ResponseAsync,
            StatusCode.ResourceExhausted, "QUOTA_EXCEEDED");
        var (realRefusal, _) = await Api.FailsAsync(() => host.Provisioning.CreateZoneRedundantInstancesAsync(Create("db2", dry: false, Guid.NewGuid().ToString())).ResponseAsync,
            StatusCode.ResourceExhausted, "QUOTA_EXCEEDED");
        Assert.Equal(realRefusal.Metadata["dimension"], dryRefusal.Metadata["dimension"]);
        Assert.False(dryRefusal.Metadata.ContainsKey("operation_id"));
        Assert.Equal(3, (await host.Provisioning.ListInstancesAsync(new ListInstancesRequest { TenantId = "dry-zr" })).Instances.Count);
    }

    [Fact]
    public async Task A_dry_run_order_answers_its_zones_orders_nothing_leaves_its_request_id_free_and_an_unknown_offer_is_refused_as_the_real_one()
    {
        await host.CreateTenantAsync("dry-order", Api.Res(100, 1000), "france-centre");
        OrderServiceRequest Order(string offer, bool dry, string requestId = "dry-order-req") => new()
        {
            RequestId = requestId, TenantId = "dry-order", Name = "civil", OfferId = offer, Region = "france-centre", ValidateOnly = dry,
        };

        var dry = await ServicesApi.OrderServiceAsync(Order("mkt-etat-civil", dry: true));

        Assert.True(dry.ValidateOnly);
        Assert.Equal(("", "", OperationState.Unspecified, OperationKind.OrderService), (dry.Id, dry.ServiceId, dry.State, dry.Kind));
        Assert.NotEmpty(dry.ValidatedZones);
        // Nothing changed: no service, no instance, no operation.
        Assert.Empty((await ServicesApi.ListServicesAsync(new ListServicesRequest { TenantId = "dry-order" })).Services);
        Assert.Empty((await host.Provisioning.ListInstancesAsync(new ListInstancesRequest { TenantId = "dry-order" })).Instances);
        Assert.Empty((await host.Provisioning.ListOperationsAsync(new ListOperationsRequest { TenantId = "dry-order" })).Operations);

        // The same request_id then orders it for real.
        var real = await host.WaitAsync(await ServicesApi.OrderServiceAsync(Order("mkt-etat-civil", dry: false)));
        Assert.Equal((OperationState.Succeeded, false, "dry-order-req"), (real.State, real.ValidateOnly, real.RequestId));
        Assert.Equal(real.ServiceId, Assert.Single((await ServicesApi.ListServicesAsync(new ListServicesRequest { TenantId = "dry-order" })).Services).Id);

        await Api.SameRefusalAsync(dry => ServicesApi.OrderServiceAsync(Order("no-such-offer", dry, Guid.NewGuid().ToString())).ResponseAsync,
            StatusCode.NotFound, "OFFER_NOT_FOUND");
    }

    [Fact]
    public async Task A_dry_run_tenant_creation_answers_the_tenant_stores_nothing_and_an_existing_id_is_refused_as_the_real_one()
    {
        CreateTenantRequest Create(bool dry) => new()
        {
            Id = "dry-tenant", DisplayName = "Dry tenant", AllowedRegions = { "france-centre" }, Quota = Api.Res(8, 32), ValidateOnly = dry,
        };

        var dry = await host.Tenants.CreateTenantAsync(Create(dry: true));

        Assert.Equal(("dry-tenant", "Dry tenant", 8L), (dry.Id, dry.DisplayName, dry.Quota.Cores));
        Assert.Equal(["france-centre"], dry.AllowedRegions);
        await Api.FailsAsync(() => host.Tenants.GetTenantAsync(new GetTenantRequest { Id = "dry-tenant" }).ResponseAsync, StatusCode.NotFound, "TENANT_NOT_FOUND");
        Assert.DoesNotContain((await host.Tenants.ListTenantsAsync(new ListTenantsRequest { PageSize = 1000 })).Tenants, t => t.Id == "dry-tenant");

        var real = await host.Tenants.CreateTenantAsync(Create(dry: false));
        Assert.Equal((dry.Id, dry.DisplayName, dry.Quota), (real.Id, real.DisplayName, real.Quota));
        Assert.Equal("Dry tenant", (await host.Tenants.GetTenantAsync(new GetTenantRequest { Id = "dry-tenant" })).DisplayName);

        await Api.SameRefusalAsync(dry => host.Tenants.CreateTenantAsync(Create(dry)).ResponseAsync, StatusCode.AlreadyExists, "TENANT_ALREADY_EXISTS");
    }

    /// <summary>Allocated cores and instances of every server of the zone.</summary>
    private async Task<(long Cores, int Instances)> ZoneUsageAsync(string zone)
    {
        var (cores, instances, token) = (0L, 0, "");
        do
        {
            var page = await host.Topology.ListServersAsync(new ListServersRequest { Zone = zone, PageSize = 1000, PageToken = token });
            cores += page.Servers.Sum(s => s.Capacity.Cores - s.Free.Cores);
            instances += page.Servers.Sum(s => s.InstanceCount);
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        return (cores, instances);
    }

    /// <summary>An active server of the zone without GPUs holding no instance, from the end of the zone's list (other tests count its GPU servers).</summary>
    private async Task<string> EmptyServerAsync(string zone, int skip = 0)
    {
        var page = await host.Topology.ListServersAsync(new ListServersRequest { Zone = zone, PageSize = 1000 });
        return page.Servers.Reverse().Where(s => s.InstanceCount == 0 && s.GpuModel.Length == 0 && s.Lifecycle == ServerLifecycle.Active).Skip(skip).First().Id;
    }
}
