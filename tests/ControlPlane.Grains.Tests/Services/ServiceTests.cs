using ControlPlane.Grains.Abstractions.Billing;
using ControlPlane.Grains.Abstractions.Catalogue;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Services;
using ControlPlane.Grains.Abstractions.Tenants;

namespace ControlPlane.Grains.Tests.Services;

/// <summary>
/// Services of each kind ordered from the test catalogue in region "svc" (zone svc-a: 3 servers of
/// 16 cores, 1 with 2 L4 GPUs): pg runs on 2 × s8, civil on 1 × s4, llm on 1 × g1, the office suite
/// on nothing of its own; "wide" needs 5 servers.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ServiceTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    private Task<ServiceInfo?> Service(string id) => _grains.GetGrain<IServiceGrain>(id).GetAsync();

    [Fact]
    public async Task Each_kind_of_service_runs_on_its_footprint_and_is_metered_as_a_service()
    {
        await _grains.TenantAsync("svc-kinds", Provision.Quota(64), "svc");

        var pg = await _grains.WaitAsync(await _grains.OrderServiceAsync("svc-kinds", "orders-db", "pg", "svc"));
        var suite = await _grains.WaitAsync(await _grains.OrderServiceAsync("svc-kinds", "mail", "suite", "svc", seats: 25));
        var civil = await _grains.WaitAsync(await _grains.OrderServiceAsync("svc-kinds", "etat-civil", "civil", "svc"));
        var llm = await _grains.WaitAsync(await _grains.OrderServiceAsync("svc-kinds", "assistant", "llm", "svc"));
        await Task.Delay(1_100); // usage counts whole seconds

        Assert.All(new[] { pg, suite, civil, llm }, o => Assert.Equal((OperationKind.OrderService, OperationState.Succeeded), (o.Kind, o.State)));
        var db = (await Service(pg.ServiceId))!;
        Assert.Equal((ServiceState.Active, OfferKind.Paas, 2), (db.State, db.Kind, db.InstanceIds.Length));
        var dbInstances = await Task.WhenAll(db.InstanceIds.Select(_grains.InstanceAsync));
        Assert.All(dbInstances, i => Assert.Equal((InstanceState.Running, "s8", db.Id, "svc"), (i.State, i.Size, i.ServiceId, i.Region)));
        Assert.Equal(2, dbInstances.Select(i => i.ServerId).Distinct().Count());
        var office = (await Service(suite.ServiceId))!;
        Assert.Equal((ServiceState.Active, 25), (office.State, office.Seats));
        Assert.Empty(office.InstanceIds);
        var gpu = await _grains.InstanceAsync((await Service(llm.ServiceId))!.InstanceIds.Single());
        Assert.Equal(1, gpu.Resources.Gpus);
        var tenant = await _grains.GetGrain<ITenantGrain>("svc-kinds").GetAsync();
        Assert.Equal((4, 8 + 8 + 4 + 4), (tenant.InstanceCount, tenant.Usage.Cores));
        var services = await _grains.GetGrain<ITenantGrain>("svc-kinds").ListServiceIdsAsync(0, null);
        Assert.Equal(new[] { pg, suite, civil, llm }.Select(o => o.ServiceId).Order(StringComparer.Ordinal), services.Items);

        var now = DateTimeOffset.UtcNow;
        var invoice = await _grains.GetGrain<IMeteringGrain>("svc-kinds").GetInvoicePreviewAsync(now.Year, now.Month);
        Assert.Equal(["civil", "llm", "pg", "suite"], invoice.Lines.Select(l => l.OfferId));
        Assert.Equal(PriceUnit.SeatMonth, invoice.Lines.Single(l => l.OfferId == "suite").Unit);
        Assert.DoesNotContain(invoice.Lines, l => l.OfferId is "s8" or "s4" or "g1");
    }

    [Fact]
    public async Task Refused_orders_leave_nothing_behind_and_say_why()
    {
        await _grains.TenantAsync("svc-refused", Provision.Quota(12), "svc", "dr");

        var notAvailable = await Provision.FailsAsync(() => _grains.OrderServiceAsync("svc-refused", "db", "pg", "dr"),
            ErrorStatus.FailedPrecondition, ErrorReasons.OfferNotAvailable);
        var notAllowed = await Provision.FailsAsync(() => _grains.OrderServiceAsync("svc-refused", "db", "pg", "prod"),
            ErrorStatus.PermissionDenied, ErrorReasons.RegionNotAllowed);
        var quota = await Provision.FailsAsync(() => _grains.OrderServiceAsync("svc-refused", "db", "pg", "svc"),
            ErrorStatus.ResourceExhausted, ErrorReasons.QuotaExceeded);
        await _grains.GetGrain<ITenantGrain>("svc-refused-big").CreateAsync(new TenantSpec("svc-refused-big", "big", ["svc"], Provision.Quota(200)));
        var capacity = await Provision.FailsAsync(() => _grains.OrderServiceAsync("svc-refused-big", "cluster", "wide", "svc"),
            ErrorStatus.ResourceExhausted, ErrorReasons.NoCapacity);
        var noSeats = await Provision.FailsAsync(() => _grains.OrderServiceAsync("svc-refused", "mail", "suite", "svc"),
            ErrorStatus.InvalidArgument, ErrorReasons.InvalidArgument);
        var seatsOnHourly = await Provision.FailsAsync(() => _grains.OrderServiceAsync("svc-refused", "db", "pg", "svc", seats: 3),
            ErrorStatus.InvalidArgument, ErrorReasons.InvalidArgument);
        var size = await Provision.FailsAsync(() => _grains.OrderServiceAsync("svc-refused", "vm", "s4", "svc"),
            ErrorStatus.InvalidArgument, ErrorReasons.InvalidArgument);
        await Provision.FailsAsync(() => _grains.OrderServiceAsync("svc-refused", "x", "no-such-offer", "svc"), ErrorStatus.NotFound, ErrorReasons.OfferNotFound);

        Assert.Equal(("pg", "dr", "refactoring"), (notAvailable.Metadata["offer"], notAvailable.Metadata["region"], notAvailable.Metadata["state"]));
        Assert.Equal("prod", notAllowed.Metadata["region"]);
        Assert.Equal("cores", quota.Metadata["dimension"]);
        Assert.Equal("svc", capacity.Metadata["region"]);
        Assert.Equal("seats", Assert.Single(noSeats.FieldViolations).Field);
        Assert.Equal("seats", Assert.Single(seatsOnHourly.FieldViolations).Field);
        Assert.Equal("offer_id", Assert.Single(size.FieldViolations).Field);
        foreach (var tenantId in new[] { "svc-refused", "svc-refused-big" })
        {
            var tenant = await _grains.GetGrain<ITenantGrain>(tenantId).GetAsync();
            Assert.Equal((0, 0L), (tenant.InstanceCount, tenant.Usage.Cores));
            Assert.Empty((await _grains.GetGrain<ITenantGrain>(tenantId).ListServiceIdsAsync(0, null)).Items);
        }
        // The refused five-server set gave its servers back: a service that fits is placed.
        var fits = await _grains.WaitAsync(await _grains.OrderServiceAsync("svc-refused-big", "db", "pg", "svc"));
        Assert.Equal(OperationState.Succeeded, fits.State);
        await _grains.WaitAsync(await _grains.CancelServiceAsync(fits.ServiceId));
    }

    [Fact]
    public async Task An_order_is_idempotent_and_names_are_unique_among_the_tenants_services()
    {
        await _grains.TenantAsync("svc-idem", Provision.Quota(32), "svc");

        var first = await _grains.OrderServiceAsync("svc-idem", "registry", "civil", "svc", requestId: "svc-idem-1");
        var again = await _grains.OrderServiceAsync("svc-idem", "registry", "civil", "svc", requestId: "svc-idem-1");
        var reused = await Provision.FailsAsync(() => _grains.OrderServiceAsync("svc-idem", "other", "civil", "svc", requestId: "svc-idem-1"),
            ErrorStatus.AlreadyExists, ErrorReasons.IdempotencyKeyReused);
        var sameName = await Provision.FailsAsync(() => _grains.OrderServiceAsync("svc-idem", "registry", "pg", "svc"),
            ErrorStatus.AlreadyExists, ErrorReasons.ServiceNameTaken);

        Assert.Equal((first.Id, first.ServiceId), (again.Id, again.ServiceId));
        Assert.Equal(first.Id, reused.Metadata["operation_id"]);
        Assert.Equal(first.ServiceId, sameName.Metadata["service_id"]);
        Assert.Equal(OperationState.Succeeded, (await _grains.WaitAsync(first)).State);
        Assert.Single((await _grains.GetGrain<ITenantGrain>("svc-idem").ListServiceIdsAsync(0, null)).Items);
        await _grains.WaitAsync(await _grains.CancelServiceAsync(first.ServiceId));
    }

    [Fact]
    public async Task A_services_instances_are_deleted_only_with_it_and_its_metering_ends_at_the_cancellation()
    {
        await _grains.TenantAsync("svc-cancel", Provision.Quota(32), "svc");
        var ordered = await _grains.WaitAsync(await _grains.OrderServiceAsync("svc-cancel", "db", "pg", "svc"));
        var service = (await Service(ordered.ServiceId))!;

        var direct = await Provision.FailsAsync(() => _grains.DeleteAsync(service.InstanceIds[0]), ErrorStatus.FailedPrecondition, ErrorReasons.InstanceOwnedByService);
        var cancelled = await _grains.WaitAsync(await _grains.CancelServiceAsync(service.Id));
        var twice = await Provision.FailsAsync(() => _grains.CancelServiceAsync(service.Id), ErrorStatus.FailedPrecondition, ErrorReasons.ServiceStateConflict);
        await Provision.FailsAsync(() => _grains.CancelServiceAsync("svc-no-such"), ErrorStatus.NotFound, ErrorReasons.ServiceNotFound);
        var now = DateTimeOffset.UtcNow;
        var first = await _grains.GetGrain<IMeteringGrain>("svc-cancel").GetInvoicePreviewAsync(now.Year, now.Month);
        await Task.Delay(1_100);
        var later = await _grains.GetGrain<IMeteringGrain>("svc-cancel").GetInvoicePreviewAsync(now.Year, now.Month);

        Assert.Equal(service.Id, direct.Metadata["service_id"]);
        Assert.Equal((OperationKind.CancelService, OperationState.Succeeded), (cancelled.Kind, cancelled.State));
        Assert.Equal(ServiceState.Cancelled, (await Service(service.Id))!.State);
        Assert.Equal("cancelled", twice.Metadata["state"]);
        Assert.All(await Task.WhenAll(service.InstanceIds.Select(id => _grains.GetGrain<IInstanceGrain>(id).GetAsync())), Assert.Null);
        var tenant = await _grains.GetGrain<ITenantGrain>("svc-cancel").GetAsync();
        Assert.Equal((0, 0L), (tenant.InstanceCount, tenant.Usage.Cores));
        Assert.Empty((await _grains.GetGrain<ITenantGrain>("svc-cancel").ListServiceIdsAsync(0, null)).Items);
        Assert.Equal(first.Lines.ToArray(), later.Lines.ToArray());
    }

    [Fact]
    public async Task Seats_change_only_on_an_active_per_seat_service_and_metering_follows()
    {
        await _grains.TenantAsync("svc-seats", Provision.Quota(32), "svc");
        var suite = await _grains.WaitAsync(await _grains.OrderServiceAsync("svc-seats", "mail", "suite", "svc", seats: 10));
        var civil = await _grains.WaitAsync(await _grains.OrderServiceAsync("svc-seats", "registry", "civil", "svc"));
        var office = _grains.GetGrain<IServiceGrain>(suite.ServiceId);

        var grown = await office.SetSeatsAsync(40);
        var same = await office.SetSeatsAsync(40);
        await Provision.FailsAsync(() => _grains.GetGrain<IServiceGrain>(civil.ServiceId).SetSeatsAsync(5), ErrorStatus.InvalidArgument, ErrorReasons.InvalidArgument);
        await _grains.WaitAsync(await _grains.CancelServiceAsync(suite.ServiceId));
        var afterCancel = await Provision.FailsAsync(() => office.SetSeatsAsync(50), ErrorStatus.FailedPrecondition, ErrorReasons.ServiceStateConflict);

        Assert.Equal((40, 2), (grown.Seats, grown.SeatsVersion));
        Assert.Equal(grown, same);
        Assert.Equal("cancelled", afterCancel.Metadata["state"]);
        await _grains.WaitAsync(await _grains.CancelServiceAsync(civil.ServiceId));
    }
}
