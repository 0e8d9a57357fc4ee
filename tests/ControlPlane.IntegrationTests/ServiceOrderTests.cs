using ControlPlane.Cli;
using ControlPlane.Contracts.V1;
using Grpc.Core;

namespace ControlPlane.IntegrationTests;

/// <summary>Services of every kind ordered from the seeded catalogue (deploy/catalogue/offers.json) over real gRPC and through cpctl.</summary>
[Collection(HostCollection.Name)]
public sealed class ServiceOrderTests(HostFixture host)
{
    private Services.ServicesClient Services => new(host.Channel);

    private Task<Operation> OrderAsync(string tenant, string name, string offer, string region = "france-centre", int seats = 0) =>
        Services.OrderServiceAsync(new OrderServiceRequest
        {
            RequestId = Guid.NewGuid().ToString(), TenantId = tenant, Name = name, OfferId = offer, Region = region, Seats = seats,
        }).ResponseAsync;

    private async Task<Operation> CancelAsync(string serviceId) =>
        await host.WaitAsync(await Services.CancelServiceAsync(new CancelServiceRequest { RequestId = Guid.NewGuid().ToString(), ServiceId = serviceId }));

    [Fact]
    public async Task An_order_of_each_kind_runs_on_its_footprint_and_is_invoiced_as_a_service()
    {
        await host.CreateTenantAsync("ord-kinds", Api.Res(200, 2000, 2), "france-centre");
        var kinds = new (string Offer, int Seats, int Instances, PriceUnit Unit)[]
        {
            ("paas-postgresql-gp-2", 0, 2, PriceUnit.Hour),
            ("office-e3", 12, 0, PriceUnit.SeatMonth),
            ("mkt-gitlab-premium", 3, 1, PriceUnit.SeatMonth),
            ("mkt-etat-civil", 0, 1, PriceUnit.Month),
            ("ai-llm-inference", 0, 1, PriceUnit.Hour),
        };

        var orders = new List<Operation>();
        foreach (var k in kinds) orders.Add(await host.WaitAsync(await OrderAsync("ord-kinds", k.Offer, k.Offer, seats: k.Seats)));
        await Task.Delay(1_100); // usage counts whole seconds
        var services = await Task.WhenAll(orders.Select(o => Services.GetServiceAsync(new GetServiceRequest { Id = o.ServiceId }).ResponseAsync));
        var instances = (await host.Provisioning.ListInstancesAsync(new ListInstancesRequest { TenantId = "ord-kinds" })).Instances;
        var invoice = await new Billing.BillingClient(host.Channel).GetInvoicePreviewAsync(new GetInvoicePreviewRequest
        {
            TenantId = "ord-kinds", Month = DateTime.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
        });
        var (refused, _) = await Api.FailsAsync(() => host.Provisioning.DeleteInstanceAsync(
            new DeleteInstanceRequest { RequestId = Guid.NewGuid().ToString(), InstanceId = services[0].InstanceIds[0] }).ResponseAsync,
            StatusCode.FailedPrecondition, "INSTANCE_OWNED_BY_SERVICE");

        Assert.All(orders, o => Assert.Equal((OperationKind.OrderService, OperationState.Succeeded), (o.Kind, o.State)));
        for (var i = 0; i < kinds.Length; i++)
        {
            Assert.Equal((ServiceState.Active, kinds[i].Offer, kinds[i].Seats, kinds[i].Instances),
                (services[i].State, services[i].OfferId, services[i].Seats, services[i].InstanceIds.Count));
            Assert.Equal(services[i].InstanceIds.Order(), instances.Where(x => x.ServiceId == services[i].Id).Select(x => x.Id).Order());
        }
        Assert.All(instances, x => Assert.Equal(InstanceState.Running, x.State));
        Assert.Equal(1, instances.Single(x => x.ServiceId == services[4].Id).Resources.Gpus);
        Assert.NotEqual(instances.First(x => x.ServiceId == services[0].Id).ServerId, instances.Last(x => x.ServiceId == services[0].Id).ServerId);
        Assert.Equal(kinds.Select(k => (k.Offer, k.Unit)).OrderBy(k => k.Offer, StringComparer.Ordinal), invoice.Lines.Select(l => (l.OfferId, l.Unit)));
        Assert.Equal(services[0].Id, refused.Metadata["service_id"]);

        foreach (var service in services) Assert.Equal(OperationState.Succeeded, (await CancelAsync(service.Id)).State);
        Assert.Empty((await host.Provisioning.ListInstancesAsync(new ListInstancesRequest { TenantId = "ord-kinds" })).Instances);
        Assert.Empty((await Services.ListServicesAsync(new ListServicesRequest { TenantId = "ord-kinds" })).Services);
    }

    [Theory]
    [InlineData("paas-redis-c1", "france-centre", 0, "qualification")]
    [InlineData("office-e5", "france-centre", 10, "qualification")]
    [InlineData("mkt-etat-civil", "france-sud", 0, "refactoring")]
    [InlineData("mkt-urbanisme", "france-sud", 0, "not-offered")]
    [InlineData("ai-llm-inference", "france-sud", 0, "qualification")]
    public async Task An_offer_that_is_not_available_in_the_region_is_refused_there_with_its_state(string offer, string region, int seats, string state)
    {
        var tenant = $"ord-gate-{offer}";
        await host.CreateTenantAsync(tenant, Api.Res(100, 1000, 2), region);

        var (info, _) = await Api.FailsAsync(() => OrderAsync(tenant, "svc", offer, region, seats), StatusCode.FailedPrecondition, "OFFER_NOT_AVAILABLE");

        Assert.Equal((offer, region, state), (info.Metadata["offer"], info.Metadata["region"], info.Metadata["state"]));
        Assert.Empty((await Services.ListServicesAsync(new ListServicesRequest { TenantId = tenant })).Services);
        Assert.Empty((await host.Provisioning.ListInstancesAsync(new ListInstancesRequest { TenantId = tenant })).Instances);
    }

    [Fact]
    public async Task A_deprecated_offer_keeps_its_services_running_and_accepts_no_new_order()
    {
        await host.CreateTenantAsync("ord-deprecated", Api.Res(100, 1000), "france-sud");
        var running = await host.WaitAsync(await OrderAsync("ord-deprecated", "gitlab", "mkt-gitlab-premium", "france-sud", seats: 5));
        await new Catalog.CatalogClient(host.Channel).SetOfferStateAsync(new SetOfferStateRequest
        {
            Id = "mkt-gitlab-premium", Region = "france-sud", State = OfferState.Deprecated, Actor = "catalogue-team", Reason = "end of sale",
        });

        var (info, _) = await Api.FailsAsync(() => OrderAsync("ord-deprecated", "gitlab-2", "mkt-gitlab-premium", "france-sud", 5),
            StatusCode.FailedPrecondition, "OFFER_NOT_AVAILABLE");
        var seats = await Services.SetServiceSeatsAsync(new SetServiceSeatsRequest { ServiceId = running.ServiceId, Seats = 8 });

        Assert.Equal("deprecated", info.Metadata["state"]);
        Assert.Equal((ServiceState.Active, 8), (seats.State, seats.Seats));
    }

    [Fact]
    public async Task Bad_orders_get_clear_errors()
    {
        await host.CreateTenantAsync("ord-bad", Api.Res(8, 32), "france-centre");

        var (_, fields) = await Api.FailsAsync(() => Services.OrderServiceAsync(new OrderServiceRequest { TenantId = "ord-bad", Seats = -1 }).ResponseAsync,
            StatusCode.InvalidArgument, "INVALID_ARGUMENT");
        await Api.FailsAsync(() => OrderAsync("ord-bad", "x", "no-such-offer"), StatusCode.NotFound, "OFFER_NOT_FOUND");
        var (_, size) = await Api.FailsAsync(() => OrderAsync("ord-bad", "x", "Standard_D2s_v5"), StatusCode.InvalidArgument, "INVALID_ARGUMENT");
        var (_, seats) = await Api.FailsAsync(() => OrderAsync("ord-bad", "mail", "office-e3"), StatusCode.InvalidArgument, "INVALID_ARGUMENT");
        await Api.FailsAsync(() => OrderAsync("ord-bad", "db", "paas-postgresql-gp-8"), StatusCode.ResourceExhausted, "QUOTA_EXCEEDED");
        await Api.FailsAsync(() => OrderAsync("ord-bad", "db", "paas-postgresql-gp-2", "france-sud"), StatusCode.PermissionDenied, "REGION_NOT_ALLOWED");
        await Api.FailsAsync(() => Services.GetServiceAsync(new GetServiceRequest { Id = "svc-nothing" }).ResponseAsync, StatusCode.NotFound, "SERVICE_NOT_FOUND");
        await Api.FailsAsync(() => Services.SetServiceSeatsAsync(new SetServiceSeatsRequest { ServiceId = "svc-nothing", Seats = 0 }).ResponseAsync,
            StatusCode.InvalidArgument, "INVALID_ARGUMENT");

        Assert.Equal(["request_id", "name", "offer_id", "region", "seats"], fields!.FieldViolations.Select(v => v.Field));
        Assert.Equal("offer_id", Assert.Single(size!.FieldViolations).Field);
        Assert.Equal("seats", Assert.Single(seats!.FieldViolations).Field);
    }

    [Fact]
    public async Task Cpctl_orders_lists_shows_resizes_and_cancels_a_service()
    {
        await host.CreateTenantAsync("ord-cli", Api.Res(16, 64), "france-centre");

        var order = await RunAsync("services", "order", "--tenant", "ord-cli", "--name", "mail", "--offer", "office-e3", "--region", "france-centre", "--seats", "40", "--wait");
        var list = await RunAsync("services", "list", "--tenant", "ord-cli");
        var id = list.Out.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Single(c => c.Length > 1 && c[1] == "mail")[0];
        var resized = await RunAsync("services", "set-seats", id, "45");
        var cancel = await RunAsync("services", "cancel", id, "--wait");
        var get = await RunAsync("services", "get", id);
        var again = await RunAsync("services", "cancel", id);

        Assert.True(order.Exit == 0, order.Err);
        Assert.Contains("succeeded", order.Out);
        Assert.Contains("office-suite", list.Out);
        Assert.Contains("45", resized.Out);
        Assert.True(cancel.Exit == 0, cancel.Err);
        Assert.Contains("cancelled", get.Out);
        Assert.Contains("shared service", get.Out);
        Assert.Equal(1, again.Exit);
        Assert.Contains("SERVICE_STATE_CONFLICT", again.Err);
    }

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CpCtl.RunAsync(args, stdout, stderr, name => name == GlobalOptions.EndpointVariable ? host.Endpoint : null);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
