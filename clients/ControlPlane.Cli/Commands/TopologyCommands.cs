using System.CommandLine;
using ControlPlane.Contracts.V1;

namespace ControlPlane.Cli.Commands;

public static class TopologyCommands
{
    public static IEnumerable<Command> Create(CommandRunner run)
    {
        var regions = new Command("regions", "List the regions, their role, piloting ops centre and capacity");
        run.Set(regions, async (_, ctx, ct) =>
        {
            var response = await ctx.Topology.ListRegionsAsync(new ListRegionsRequest(), cancellationToken: ct);
            ctx.Out.Table(response.Regions, ["ID", "ROLE", "OPS-CENTRE", "ZONES", "SERVERS", "FREE", "TOTAL"], r =>
                [r.Id, Formats.Role(r.Role), r.OpsCentre, string.Join(",", r.Zones), r.ServerCount.ToString(), Formats.Res(r.Free), Formats.Res(r.Total)]);
            return ExitCodes.Ok;
        });

        var region = new Option<string>("--region") { Description = "Only the zones of this region" };
        var zones = new Command("zones", "List the availability zones and their free capacity") { region };
        run.Set(zones, async (p, ctx, ct) =>
        {
            var response = await ctx.Topology.ListZonesAsync(new ListZonesRequest { Region = p.GetValue(region) ?? "" }, cancellationToken: ct);
            ctx.Out.Table(response.Zones, ["ID", "REGION", "DATACENTRE", "SERVERS", "INSTANCES", "FREE", "TOTAL", "SERVED-BY"], z =>
                [z.Id, z.Region, z.Datacentre, z.ServerCount.ToString(), z.InstanceCount.ToString(), Formats.Res(z.Free), Formats.Res(z.Total),
                 $"{z.ServedBy} ({z.ServedByOpsCentre})"]);
            return ExitCodes.Ok;
        });

        Command ListServers(string name, string description)
        {
            var zone = new Option<string>("--zone") { Description = "The zone whose servers to list", Required = true };
            var limit = Paging.Limit();
            var pageToken = Paging.PageToken();
            var command = new Command(name, description) { zone, limit, pageToken };
            run.Set(command, async (p, ctx, ct) =>
            {
                var servers = await Paging.CollectAsync(p.GetValue(limit), p.GetValue(pageToken), async (size, token) =>
                {
                    var r = await ctx.Topology.ListServersAsync(new ListServersRequest { Zone = p.GetValue(zone)!, PageSize = size, PageToken = token }, cancellationToken: ct);
                    return (r.Servers, r.NextPageToken);
                });
                ctx.Out.Table(servers, ["ID", "SKU", "GPU", "INSTANCES", "FREE", "CAPACITY"], s =>
                    [s.Id, s.Sku, Formats.Or(s.GpuModel), s.InstanceCount.ToString(), Formats.Res(s.Free), Formats.Res(s.Capacity)]);
                return ExitCodes.Ok;
            });
            return command;
        }

        var id = new Argument<string>("id") { Description = "Server id" };
        var serversGet = new Command("get", "Show a server: capacity, allocations, instances") { id };
        run.Set(serversGet, async (p, ctx, ct) =>
        {
            var s = await ctx.Topology.GetServerAsync(new GetServerRequest { Id = p.GetValue(id)! }, cancellationToken: ct);
            ctx.Out.Object(s,
            [
                ("id", s.Id), ("zone", s.Zone), ("region", s.Region), ("datacentre", s.Datacentre), ("rack", s.Rack), ("sku", s.Sku),
                ("gpu model", Formats.Or(s.GpuModel)), ("capacity", Formats.Res(s.Capacity)), ("allocated", Formats.Res(s.Allocated)),
                ("free", Formats.Res(s.Free)),
                ("instances", s.Allocations.Count == 0 ? "-" : string.Join(", ", s.Allocations.Select(a => $"{a.InstanceId} ({a.TenantId}, {a.Size})"))),
            ]);
            return ExitCodes.Ok;
        });
        var servers = ListServers("servers", "Servers: 'servers --zone Z' lists a zone's servers (all pages unless --limit); 'servers get ID' shows one");
        servers.Subcommands.Add(ListServers("list", "List the servers of a zone (all pages unless --limit)"));
        servers.Subcommands.Add(serversGet);

        var sizes = new Command("sizes", "List the instance sizes that can be ordered");
        run.Set(sizes, async (_, ctx, ct) =>
        {
            var response = await ctx.Topology.ListSizesAsync(new ListSizesRequest(), cancellationToken: ct);
            ctx.Out.Table(response.Sizes, ["NAME", "FAMILY", "CORES", "MEMORY", "GPUS"], s =>
                [s.Name, s.Family, s.Resources.Cores.ToString(), Formats.Gib(s.Resources.MemoryMib), s.Resources.Gpus == 0 ? "-" : $"{s.Resources.Gpus} {s.GpuModel}"]);
            return ExitCodes.Ok;
        });

        return [regions, zones, servers, sizes];
    }
}
