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
        var group = new Option<string?>("--anti-affinity-group") { Description = "Keep the instance apart from the other members of this group of the tenant" };
        var scope = new Option<string>("--anti-affinity-scope") { Description = "Apart on distinct servers or in distinct zones", DefaultValueFactory = _ => "server" };
        scope.AcceptOnlyFromAmong("server", "zone");
        var requestId = OperationCommands.RequestIdOption();
        var wait = new Option<bool>("--wait") { Description = "Follow the operation to its end" };
        var timeout = OperationCommands.Timeout();
        var dryRun = DryRun.Option();
        var create = new Command("create", "Create an instance; prints the operation") { tenant, name, size, region, zone, group, scope, requestId, wait, timeout, dryRun };
        run.Set(create, async (p, ctx, ct) =>
        {
            var operation = await ctx.Provisioning.CreateInstanceAsync(new CreateInstanceRequest
            {
                ValidateOnly = p.GetValue(dryRun),
                RequestId = p.GetValue(requestId) ?? OperationCommands.NewRequestId(),
                TenantId = p.GetValue(tenant)!,
                Name = p.GetValue(name)!,
                Size = p.GetValue(size)!,
                Region = p.GetValue(region)!,
                Zone = p.GetValue(zone) ?? "",
                AntiAffinityGroup = p.GetValue(group) ?? "",
                AntiAffinityScope = p.GetValue(group) is null ? AntiAffinityScope.Unspecified
                    : p.GetValue(scope) == "zone" ? AntiAffinityScope.Zone : AntiAffinityScope.Server,
            }, cancellationToken: ct);
            if (operation.ValidateOnly) return DryRun.Show(ctx, operation, $"instance {p.GetValue(name)}", "created");
            return await OperationCommands.FinishAsync(ctx, operation, p.GetValue(wait), p.GetValue(timeout), ct);
        });

        var setTenant = new Option<string>("--tenant") { Description = "Owning tenant", Required = true };
        var setName = new Option<string>("--name") { Description = "Set name: members are NAME-1 … NAME-N", Required = true };
        var setSize = new Option<string>("--size") { Description = "Instance size of every member", Required = true };
        var setRegion = new Option<string>("--region") { Description = "Region whose zones take one member each", Required = true };
        var count = new Option<int>("--count") { Description = "Members, one per zone (2 to the region's zone count)", DefaultValueFactory = _ => 3 };
        var setRequestId = OperationCommands.RequestIdOption();
        var setWait = new Option<bool>("--wait") { Description = "Follow the operation to its end" };
        var setTimeout = OperationCommands.Timeout();
        var setDryRun = DryRun.Option();
        var createSet = new Command("create-zone-redundant", "Create one instance in each of COUNT zones, all or none; prints the operation")
        {
            setTenant, setName, setSize, setRegion, count, setRequestId, setWait, setTimeout, setDryRun,
        };
        run.Set(createSet, async (p, ctx, ct) =>
        {
            var operation = await ctx.Provisioning.CreateZoneRedundantInstancesAsync(new CreateZoneRedundantInstancesRequest
            {
                RequestId = p.GetValue(setRequestId) ?? OperationCommands.NewRequestId(),
                TenantId = p.GetValue(setTenant)!,
                Name = p.GetValue(setName)!,
                Size = p.GetValue(setSize)!,
                Region = p.GetValue(setRegion)!,
                Count = p.GetValue(count),
                ValidateOnly = p.GetValue(setDryRun),
            }, cancellationToken: ct);
            if (operation.ValidateOnly) return DryRun.Show(ctx, operation, $"zone-redundant set {p.GetValue(setName)} ({p.GetValue(count)} instances)", "created");
            return await OperationCommands.FinishAsync(ctx, operation, p.GetValue(setWait), p.GetValue(setTimeout), ct);
        });

        var deleteId = new Argument<string>("id") { Description = "Instance id, or its name with --tenant" };
        var deleteTenant = Names.TenantOption("instance");
        var deleteRequestId = OperationCommands.RequestIdOption();
        var deleteWait = new Option<bool>("--wait") { Description = "Follow the operation to its end" };
        var deleteTimeout = OperationCommands.Timeout();
        var deleteDryRun = DryRun.Option();
        var delete = new Command("delete", "Delete an instance; prints the operation") { deleteId, deleteTenant, deleteRequestId, deleteWait, deleteTimeout, deleteDryRun };
        run.Set(delete, async (p, ctx, ct) =>
        {
            var operation = await ctx.Provisioning.DeleteInstanceAsync(new DeleteInstanceRequest
            {
                RequestId = p.GetValue(deleteRequestId) ?? OperationCommands.NewRequestId(),
                InstanceId = await Names.InstanceIdAsync(ctx, p.GetValue(deleteId)!, p.GetValue(deleteTenant), ct),
                ValidateOnly = p.GetValue(deleteDryRun),
            }, cancellationToken: ct);
            if (operation.ValidateOnly) return DryRun.Show(ctx, operation, $"instance {p.GetValue(deleteId)}", "deleted");
            return await OperationCommands.FinishAsync(ctx, operation, p.GetValue(deleteWait), p.GetValue(deleteTimeout), ct);
        });

        var getId = new Argument<string>("id") { Description = "Instance id, or its name with --tenant" };
        var getTenant = Names.TenantOption("instance");
        var get = new Command("get", "Show an instance (by id, or by name with --tenant)") { getId, getTenant };
        run.Set(get, async (p, ctx, ct) =>
        {
            var id = await Names.InstanceIdAsync(ctx, p.GetValue(getId)!, p.GetValue(getTenant), ct);
            var i = await ctx.Provisioning.GetInstanceAsync(new GetInstanceRequest { Id = id }, cancellationToken: ct);
            ctx.Out.Object(i,
            [
                ("id", i.Id), ("tenant", i.TenantId), ("name", i.Name), ("size", i.Size), ("resources", Formats.Res(i.Resources)),
                ("region", i.Region), ("zone", Formats.Or(i.Zone)), ("server", Formats.Or(i.ServerId)), ("state", Formats.State(i.State)),
                ("anti-affinity", i.AntiAffinityGroup.Length == 0 ? "-" : $"{i.AntiAffinityGroup} ({(i.AntiAffinityScope == AntiAffinityScope.Zone ? "zones" : "servers")})"),
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
            var (instances, next) = await Paging.CollectAsync(p.GetValue(limit), p.GetValue(pageToken), async (pageSize, token) =>
            {
                var r = await ctx.Provisioning.ListInstancesAsync(
                    new ListInstancesRequest { TenantId = p.GetValue(listTenant)!, PageSize = pageSize, PageToken = token }, cancellationToken: ct);
                return (r.Instances, r.NextPageToken);
            });
            ctx.Out.Table(instances, ["ID", "NAME", "SIZE", "STATE", "REGION", "ZONE", "SERVER", "CONDITIONS"], i =>
                [i.Id, i.Name, i.Size, Formats.State(i.State), i.Region, Formats.Or(i.Zone), Formats.Or(i.ServerId),
                 Formats.Or(string.Join(",", i.Conditions.Select(c => $"{c.Type}={(c.Status ? "True" : "False")}")))], next,
                new WideColumns<Instance>(["GENERATION", "ANTI-AFFINITY", "OPERATION", "CREATED"], i =>
                    [$"{i.Generation}/{i.ObservedGeneration}", Formats.Or(i.AntiAffinityGroup), Formats.Or(i.OperationId), Formats.Time(i.CreateTime)]));
            return ExitCodes.Ok;
        });

        return new Command("instances", "Instances: create, create-zone-redundant, get, list, delete") { create, createSet, get, list, delete };
    }
}
