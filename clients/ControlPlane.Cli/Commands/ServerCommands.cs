using System.CommandLine;
using ControlPlane.Contracts.V1;
using Grpc.Core;

namespace ControlPlane.Cli.Commands;

/// <summary>'cpctl servers': list and show servers, and drive their lifecycle.</summary>
public static class ServerCommands
{
    public static Command Create(CommandRunner run)
    {
        var servers = List(run, "servers", "Servers: 'servers --zone Z' lists a zone's servers; 'servers get ID' shows one; cordon, drain, fail, decommission, commission change one");
        servers.Subcommands.Add(List(run, "list", "List the servers of a zone (all pages unless --limit)"));
        servers.Subcommands.Add(Act(run, "get", "Show a server: lifecycle, agent, capacity, instances",
            (ctx, _, id, ct) => ctx.Topology.GetServerAsync(new GetServerRequest { Id = id }, cancellationToken: ct)));
        servers.Subcommands.Add(Change(run, "cordon", "Stop new placements on a server",
            (ctx, _, id, dry, ct) => ctx.Servers.CordonServerAsync(new ServerRequest { Id = id, ValidateOnly = dry }, cancellationToken: ct)));
        servers.Subcommands.Add(Change(run, "uncordon", "Put a cordoned, draining or drained server back in service",
            (ctx, _, id, dry, ct) => ctx.Servers.UncordonServerAsync(new ServerRequest { Id = id, ValidateOnly = dry }, cancellationToken: ct)));
        servers.Subcommands.Add(Drain(run));
        var approval = ApprovalCommands.ApprovalIdOption();
        servers.Subcommands.Add(Change(run, "decommission", "Take an empty, cordoned or drained server out of service (four-eyes: --approval-id)",
            (ctx, p, id, dry, ct) => ctx.Servers.DecommissionServerAsync(new ServerRequest { Id = id, ApprovalId = p.GetValue(approval) ?? "", ValidateOnly = dry }, cancellationToken: ct),
            approval));
        servers.Subcommands.Add(Change(run, "commission", "Bring a decommissioned or repaired failed server into service",
            (ctx, _, id, dry, ct) => ctx.Servers.CommissionServerAsync(new ServerRequest { Id = id, ValidateOnly = dry }, cancellationToken: ct)));

        var reason = new Option<string?>("--reason") { Description = "Why (recorded on the server; default: Operator)" };
        servers.Subcommands.Add(Change(run, "fail", "Declare a server failed: its instances are re-created on other servers",
            (ctx, p, id, dry, ct) => ctx.Servers.MarkServerFailedAsync(new MarkServerFailedRequest { Id = id, Reason = p.GetValue(reason) ?? "", ValidateOnly = dry }, cancellationToken: ct),
            reason));
        return servers;
    }

    /// <summary>'servers drain ID [--wait] [--timeout 2m]': the drain is an operation, followed as 'instances create --wait' follows a create.</summary>
    private static Command Drain(CommandRunner run)
    {
        var id = new Argument<string>("id") { Description = "Server id" };
        var wait = new Option<bool>("--wait") { Description = "Follow the drain operation until the server is drained (exit 5 if the drain fails)" };
        var timeout = OperationCommands.Timeout();
        var dryRun = DryRun.Option();
        var command = new Command("drain", "Cordon a server and move its instances away live; prints the drain operation (--wait follows it)") { id, wait, timeout, dryRun };
        run.Set(command, async (p, ctx, ct) =>
        {
            if (p.GetValue(dryRun))
            {
                var after = await ctx.Servers.DrainServerAsync(new ServerRequest { Id = p.GetValue(id)!, ValidateOnly = true }, cancellationToken: ct);
                return DryRun.Show(ctx, await ctx.Topology.GetServerAsync(new GetServerRequest { Id = p.GetValue(id)! }, cancellationToken: ct), after);
            }
            var server = await ctx.Servers.DrainServerAsync(new ServerRequest { Id = p.GetValue(id)! }, cancellationToken: ct);
            var operationId = server.DrainOperationId;
            if (p.GetValue(wait) && operationId.Length > 0) return await OperationCommands.WaitAsync(ctx, operationId, p.GetValue(timeout), ct);
            Show(ctx, server);
            if (operationId.Length > 0 && server.Lifecycle == ServerLifecycle.Draining)
            {
                await ctx.Out.Error.WriteLineAsync($"drain operation {operationId}; wait for it with: cpctl operations wait {operationId}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CommandRunner run, string name, string description)
    {
        var zone = new Option<string>("--zone") { Description = "The zone whose servers to list", Required = true };
        var limit = Paging.Limit();
        var pageToken = Paging.PageToken();
        var command = new Command(name, description) { zone, limit, pageToken };
        run.Set(command, async (p, ctx, ct) =>
        {
            var (servers, next) = await Paging.CollectAsync(p.GetValue(limit), p.GetValue(pageToken), async (size, token) =>
            {
                var r = await ctx.Topology.ListServersAsync(new ListServersRequest { Zone = p.GetValue(zone)!, PageSize = size, PageToken = token }, cancellationToken: ct);
                return (r.Servers, r.NextPageToken);
            });
            ctx.Out.Table(servers, ["ID", "SKU", "GPU", "LIFECYCLE", "AGENT", "INSTANCES", "FREE", "CAPACITY"], s =>
                [s.Id, s.Sku, Formats.Or(s.GpuModel), Formats.Lifecycle(s.Lifecycle), s.AgentReachable ? "ok" : "unreachable",
                 s.InstanceCount.ToString(), Formats.Res(s.Free), Formats.Res(s.Capacity)], next);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Act(CommandRunner run, string name, string description,
        Func<CliContext, ParseResult, string, CancellationToken, AsyncUnaryCall<Server>> call)
    {
        var id = new Argument<string>("id") { Description = "Server id" };
        var command = new Command(name, description) { id };
        run.Set(command, async (p, ctx, ct) =>
        {
            Show(ctx, await call(ctx, p, p.GetValue(id)!, ct));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>A lifecycle command, with --dry-run: the server as it is and as the command would leave it.</summary>
    private static Command Change(CommandRunner run, string name, string description,
        Func<CliContext, ParseResult, string, bool, CancellationToken, AsyncUnaryCall<Server>> call, Option<string?>? option = null)
    {
        var dryRun = DryRun.Option();
        var id = new Argument<string>("id") { Description = "Server id" };
        var command = new Command(name, description) { id, dryRun };
        if (option is not null) command.Options.Add(option);
        run.Set(command, async (p, ctx, ct) =>
        {
            var serverId = p.GetValue(id)!;
            if (!p.GetValue(dryRun))
            {
                Show(ctx, await call(ctx, p, serverId, false, ct));
                return ExitCodes.Ok;
            }
            var after = await call(ctx, p, serverId, true, ct);
            return DryRun.Show(ctx, await ctx.Topology.GetServerAsync(new GetServerRequest { Id = serverId }, cancellationToken: ct), after);
        });
        return command;
    }

    private static void Show(CliContext ctx, Server s) => ctx.Out.Object(s,
    [
        ("id", s.Id), ("zone", s.Zone), ("region", s.Region), ("datacentre", s.Datacentre), ("rack", s.Rack), ("sku", s.Sku),
        ("gpu model", Formats.Or(s.GpuModel)),
        ("lifecycle", Formats.Lifecycle(s.Lifecycle) + (s.LifecycleReason.Length > 0 ? $" ({s.LifecycleReason})" : "")),
        ("drain operation", Formats.Or(s.DrainOperationId)),
        ("agent", s.Agent is null ? "-" : (s.Agent.Reachable ? "reachable" : $"unreachable since {Formats.Time(s.Agent.UnreachableSince)}: {s.Agent.LastError}")
            + $", circuit {s.Agent.Circuit}, last contact {Formats.Time(s.Agent.LastContact)}"),
        ("capacity", Formats.Res(s.Capacity)), ("allocated", Formats.Res(s.Allocated)), ("free", Formats.Res(s.Free)),
        ("instances", s.Allocations.Count == 0 ? "-" : string.Join(", ", s.Allocations.Select(a => $"{a.InstanceId} ({a.TenantId}, {a.Size})"))),
    ]);
}
