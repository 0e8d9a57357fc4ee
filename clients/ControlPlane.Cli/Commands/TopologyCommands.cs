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
            ctx.Out.Table(response.Zones, ["ID", "REGION", "DATACENTRE", "STATE", "SERVERS", "INSTANCES", "FREE", "TOTAL", "SERVED-BY"], z =>
                [z.Id, z.Region, z.Datacentre, Formats.Word(z.State), z.ServerCount.ToString(), z.InstanceCount.ToString(), Formats.Res(z.Free), Formats.Res(z.Total),
                 $"{z.ServedBy} ({z.ServedByOpsCentre})"]);
            return ExitCodes.Ok;
        });

        var servers = ServerCommands.Create(run);

        var sizes = new Command("sizes", "List the instance sizes that can be ordered");
        run.Set(sizes, async (_, ctx, ct) =>
        {
            var response = await ctx.Topology.ListSizesAsync(new ListSizesRequest(), cancellationToken: ct);
            ctx.Out.Table(response.Sizes, ["NAME", "FAMILY", "CORES", "MEMORY", "GPUS"], s =>
                [s.Name, s.Family, s.Resources.Cores.ToString(), Formats.Memory(s.Resources.MemoryMib), s.Resources.Gpus == 0 ? "-" : $"{s.Resources.Gpus} {s.GpuModel}"]);
            return ExitCodes.Ok;
        });

        return [regions, zones, servers, sizes];
    }
}
