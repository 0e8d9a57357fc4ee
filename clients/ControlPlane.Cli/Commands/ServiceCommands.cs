using System.CommandLine;
using ControlPlane.Contracts.V1;

namespace ControlPlane.Cli.Commands;

/// <summary>'cpctl services': order, show, list, cancel services of the catalogue and change their seats.</summary>
public static class ServiceCommands
{
    public static Command Create(CommandRunner run)
    {
        var tenant = new Option<string>("--tenant") { Description = "Owning tenant", Required = true };
        var name = new Option<string>("--name") { Description = "Service name, unique among the tenant's services", Required = true };
        var offer = new Option<string>("--offer") { Description = "A service offer, e.g. paas-postgresql-gp-2 (see 'cpctl catalog list')", Required = true };
        var region = new Option<string>("--region") { Description = "Region, e.g. france-centre", Required = true };
        var seats = new Option<int>("--seats") { Description = "Seats, for per-seat offers (office suite, some marketplace applications)" };
        var requestId = OperationCommands.RequestIdOption();
        var wait = new Option<bool>("--wait") { Description = "Follow the operation to its end" };
        var timeout = OperationCommands.Timeout();
        var dryRun = DryRun.Option();
        var order = new Command("order", "Order a service; prints the operation") { tenant, name, offer, region, seats, requestId, wait, timeout, dryRun };
        run.Set(order, async (p, ctx, ct) =>
        {
            var operation = await ctx.Services.OrderServiceAsync(new OrderServiceRequest
            {
                RequestId = p.GetValue(requestId) ?? OperationCommands.NewRequestId(),
                TenantId = p.GetValue(tenant)!,
                Name = p.GetValue(name)!,
                OfferId = p.GetValue(offer)!,
                Region = p.GetValue(region)!,
                Seats = p.GetValue(seats),
                ValidateOnly = p.GetValue(dryRun),
            }, cancellationToken: ct);
            if (operation.ValidateOnly) return DryRun.Show(ctx, operation, $"service {p.GetValue(name)}", "ordered");
            return await OperationCommands.FinishAsync(ctx, operation, p.GetValue(wait), p.GetValue(timeout), ct);
        });

        var cancelId = new Argument<string>("id") { Description = "Service id, or its name with --tenant" };
        var cancelTenant = Names.TenantOption("service");
        var cancelRequestId = OperationCommands.RequestIdOption();
        var cancelWait = new Option<bool>("--wait") { Description = "Follow the operation to its end" };
        var cancelTimeout = OperationCommands.Timeout();
        var cancelDryRun = DryRun.Option();
        var cancel = new Command("cancel", "Cancel a service (its metering ends at once, its instances are deleted); prints the operation")
        {
            cancelId, cancelTenant, cancelRequestId, cancelWait, cancelTimeout, cancelDryRun,
        };
        run.Set(cancel, async (p, ctx, ct) =>
        {
            var operation = await ctx.Services.CancelServiceAsync(new CancelServiceRequest
            {
                RequestId = p.GetValue(cancelRequestId) ?? OperationCommands.NewRequestId(),
                ServiceId = await Names.ServiceIdAsync(ctx, p.GetValue(cancelId)!, p.GetValue(cancelTenant), ct),
                ValidateOnly = p.GetValue(cancelDryRun),
            }, cancellationToken: ct);
            if (operation.ValidateOnly) return DryRun.Show(ctx, operation, $"service {operation.ServiceId}", "cancelled");
            return await OperationCommands.FinishAsync(ctx, operation, p.GetValue(cancelWait), p.GetValue(cancelTimeout), ct);
        });

        var getId = new Argument<string>("id") { Description = "Service id, or its name with --tenant" };
        var getTenant = Names.TenantOption("service");
        var get = new Command("get", "Show a service (by id, or by name with --tenant)") { getId, getTenant };
        run.Set(get, async (p, ctx, ct) =>
        {
            var id = await Names.ServiceIdAsync(ctx, p.GetValue(getId)!, p.GetValue(getTenant), ct);
            Show(ctx, await ctx.Services.GetServiceAsync(new GetServiceRequest { Id = id }, cancellationToken: ct));
            return ExitCodes.Ok;
        });

        var seatsId = new Argument<string>("id") { Description = "Service id, or its name with --tenant" };
        var seatsTenant = Names.TenantOption("service");
        var seatsCount = new Argument<int>("seats") { Description = "The new number of seats" };
        var seatsDryRun = DryRun.Option();
        var setSeats = new Command("set-seats", "Change the seats of a per-seat service; metering follows from now") { seatsId, seatsCount, seatsTenant, seatsDryRun };
        run.Set(setSeats, async (p, ctx, ct) =>
        {
            var request = new SetServiceSeatsRequest
            {
                ServiceId = await Names.ServiceIdAsync(ctx, p.GetValue(seatsId)!, p.GetValue(seatsTenant), ct), Seats = p.GetValue(seatsCount),
                ValidateOnly = p.GetValue(seatsDryRun),
            };
            var service = await ctx.Services.SetServiceSeatsAsync(request, cancellationToken: ct);
            if (request.ValidateOnly && !ctx.Out.IsStructured) return DryRun.Say(ctx, $"service {service.Id} would have {service.Seats} seats");
            Show(ctx, service);
            return ExitCodes.Ok;
        });

        var listTenant = new Option<string>("--tenant") { Description = "Tenant whose services to list", Required = true };
        var limit = Paging.Limit();
        var pageToken = Paging.PageToken();
        var list = new Command("list", "List a tenant's services (not cancelled)") { listTenant, limit, pageToken };
        run.Set(list, async (p, ctx, ct) =>
        {
            var (services, next) = await Paging.CollectAsync(p.GetValue(limit), p.GetValue(pageToken), async (pageSize, token) =>
            {
                var r = await ctx.Services.ListServicesAsync(
                    new ListServicesRequest { TenantId = p.GetValue(listTenant)!, PageSize = pageSize, PageToken = token }, cancellationToken: ct);
                return (r.Services, r.NextPageToken);
            });
            ctx.Out.Table(services, ["ID", "NAME", "OFFER", "KIND", "STATE", "REGION", "SEATS", "INSTANCES"], s =>
                [s.Id, s.Name, s.OfferId, Formats.Word(s.Kind), Formats.State(s.State), s.Region, s.Seats == 0 ? "-" : s.Seats.ToString(),
                 s.InstanceIds.Count.ToString()], next);
            return ExitCodes.Ok;
        });

        return new Command("services", "Services of the catalogue (PaaS, office suite, marketplace, AI): order, get, list, set-seats, cancel")
        {
            order, get, list, setSeats, cancel,
        };
    }

    private static void Show(CliContext ctx, Service s) => ctx.Out.Object(s,
    [
        ("id", s.Id), ("tenant", s.TenantId), ("name", s.Name), ("offer", s.OfferId), ("kind", Formats.Word(s.Kind)),
        ("region", s.Region), ("seats", s.Seats == 0 ? "-" : s.Seats.ToString()), ("state", Formats.State(s.State)),
        ("instances", s.InstanceIds.Count == 0 ? "- (shared service)" : string.Join(", ", s.InstanceIds)),
        ("operation", Formats.Or(s.OperationId)), ("created", Formats.Time(s.CreateTime)), ("updated", Formats.Time(s.UpdateTime)),
    ]);
}
