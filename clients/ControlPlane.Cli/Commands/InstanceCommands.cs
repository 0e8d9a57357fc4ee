using System.CommandLine;
using ControlPlane.Contracts.V1;

namespace ControlPlane.Cli.Commands;

public static class InstanceCommands
{
    public static Command Create(CommandRunner run)
    {
        var tenant = new Option<string>("--tenant") { Description = "Owning tenant", Required = true };
        var name = new Option<string>("--name") { Description = "Instance name, unique in the tenant", Required = true };
        var size = new Option<string>("--size") { Description = "Instance size, e.g. Standard_D2s_v5 (see 'cpctl sizes')", Required = true };
        var region = new Option<string>("--region") { Description = "Region, e.g. france-centre", Required = true };
        var zone = new Option<string?>("--zone") { Description = "Zone of the region (default: the control plane chooses)" };
        var requestId = RequestId();
        var wait = new Option<bool>("--wait") { Description = "Follow the operation to its end" };
        var timeout = OperationCommands.Timeout();
        var create = new Command("create", "Create an instance; prints the operation") { tenant, name, size, region, zone, requestId, wait, timeout };
        run.Set(create, async (p, ctx, ct) =>
        {
            var operation = await ctx.Provisioning.CreateInstanceAsync(new CreateInstanceRequest
            {
                RequestId = p.GetValue(requestId) ?? NewRequestId(),
                TenantId = p.GetValue(tenant)!,
                Name = p.GetValue(name)!,
                Size = p.GetValue(size)!,
                Region = p.GetValue(region)!,
                Zone = p.GetValue(zone) ?? "",
            }, cancellationToken: ct);
            return await FinishAsync(ctx, operation, p.GetValue(wait), p.GetValue(timeout), ct);
        });

        var deleteId = new Argument<string>("id") { Description = "Instance id" };
        var deleteRequestId = RequestId();
        var deleteWait = new Option<bool>("--wait") { Description = "Follow the operation to its end" };
        var deleteTimeout = OperationCommands.Timeout();
        var delete = new Command("delete", "Delete an instance; prints the operation") { deleteId, deleteRequestId, deleteWait, deleteTimeout };
        run.Set(delete, async (p, ctx, ct) =>
        {
            var operation = await ctx.Provisioning.DeleteInstanceAsync(new DeleteInstanceRequest
            {
                RequestId = p.GetValue(deleteRequestId) ?? NewRequestId(),
                InstanceId = p.GetValue(deleteId)!,
            }, cancellationToken: ct);
            return await FinishAsync(ctx, operation, p.GetValue(deleteWait), p.GetValue(deleteTimeout), ct);
        });

        var getId = new Argument<string>("id") { Description = "Instance id" };
        var get = new Command("get", "Show an instance") { getId };
        run.Set(get, async (p, ctx, ct) =>
        {
            var i = await ctx.Provisioning.GetInstanceAsync(new GetInstanceRequest { Id = p.GetValue(getId)! }, cancellationToken: ct);
            ctx.Out.Object(i,
            [
                ("id", i.Id), ("tenant", i.TenantId), ("name", i.Name), ("size", i.Size), ("resources", Formats.Res(i.Resources)),
                ("region", i.Region), ("zone", Formats.Or(i.Zone)), ("server", Formats.Or(i.ServerId)), ("state", Formats.State(i.State)),
                ("generation", $"{i.Generation} (observed {i.ObservedGeneration})"), ("operation", Formats.Or(i.OperationId)),
                ("created", Formats.Time(i.CreateTime)), ("updated", Formats.Time(i.UpdateTime)),
                .. i.Conditions.Select(c => ("condition", Formats.Condition(c))),
            ]);
            return ExitCodes.Ok;
        });

        var listTenant = new Option<string>("--tenant") { Description = "Tenant whose instances to list", Required = true };
        var limit = Paging.Limit();
        var pageToken = Paging.PageToken();
        var list = new Command("list", "List a tenant's instances") { listTenant, limit, pageToken };
        run.Set(list, async (p, ctx, ct) =>
        {
            var instances = await Paging.CollectAsync(p.GetValue(limit), p.GetValue(pageToken), async (pageSize, token) =>
            {
                var r = await ctx.Provisioning.ListInstancesAsync(
                    new ListInstancesRequest { TenantId = p.GetValue(listTenant)!, PageSize = pageSize, PageToken = token }, cancellationToken: ct);
                return (r.Instances, r.NextPageToken);
            });
            ctx.Out.Table(instances, ["ID", "NAME", "SIZE", "STATE", "REGION", "ZONE", "SERVER", "CONDITIONS"], i =>
                [i.Id, i.Name, i.Size, Formats.State(i.State), i.Region, Formats.Or(i.Zone), Formats.Or(i.ServerId),
                 Formats.Or(string.Join(",", i.Conditions.Select(c => $"{c.Type}={(c.Status ? "True" : "False")}")))]);
            return ExitCodes.Ok;
        });

        return new Command("instances", "Instances: create, get, list, delete") { create, get, list, delete };
    }

    private static Option<string?> RequestId() => new("--request-id")
    {
        Description = "Idempotency key; repeat it to retry safely (default: a new UUID)",
    };

    private static string NewRequestId() => Guid.NewGuid().ToString();

    private static async Task<int> FinishAsync(CliContext ctx, Operation operation, bool wait, TimeSpan timeout, CancellationToken ct)
    {
        if (wait && !OperationCommands.IsTerminal(operation))
        {
            return await OperationCommands.WaitAsync(ctx, operation.Id, timeout, ct);
        }
        await OperationCommands.ShowAsync(ctx, operation);
        return operation.State == OperationState.Failed ? ExitCodes.OperationFailed : ExitCodes.Ok;
    }
}
