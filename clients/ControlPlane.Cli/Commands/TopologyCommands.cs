using System.CommandLine;
using ControlPlane.Cli.Errors;
using ControlPlane.Contracts.V1;
using Google.Protobuf;

namespace ControlPlane.Cli.Commands;

/// <summary>'cpctl regions|zones|sizes [list|get ID]' (the bare noun lists), and 'cpctl servers'.</summary>
public static class TopologyCommands
{
    private static readonly string[] RegionColumns = ["ID", "ROLE", "OPS-CENTRE", "ZONES", "SERVERS", "FREE", "TOTAL"];
    private static readonly string[] ZoneColumns = ["ID", "REGION", "DATACENTRE", "STATE", "SERVERS", "INSTANCES", "FREE", "TOTAL", "SERVED-BY"];
    private static readonly string[] SizeColumns = ["NAME", "FAMILY", "CORES", "MEMORY", "GPUS"];

    public static IEnumerable<Command> Create(CommandRunner run)
    {
        var regions = Noun<Region>(run, "regions", "The regions, their role, piloting ops centre and capacity", "region", () => [],
            async (_, ctx, ct) => (await ctx.Topology.ListRegionsAsync(new ListRegionsRequest(), cancellationToken: ct)).Regions,
            r => r.Id, RegionColumns, RegionRow);
        var zones = Noun<Zone>(run, "zones", "The availability zones and their free capacity", "zone",
            () => [new Option<string>("--region") { Description = "Only the zones of this region" }],
            async (p, ctx, ct) => (await ctx.Topology.ListZonesAsync(new ListZonesRequest { Region = p.GetValue<string>("--region") ?? "" }, cancellationToken: ct)).Zones,
            z => z.Id, ZoneColumns, ZoneRow);
        var sizes = Noun<InstanceSize>(run, "sizes", "The instance sizes that can be ordered", "size", () => [],
            async (_, ctx, ct) => (await ctx.Topology.ListSizesAsync(new ListSizesRequest(), cancellationToken: ct)).Sizes,
            s => s.Name, SizeColumns, SizeRow);
        return [regions, zones, ServerCommands.Create(run), sizes];
    }

    private static string[] RegionRow(Region r) =>
        [r.Id, Formats.Role(r.Role), r.OpsCentre, string.Join(",", r.Zones), r.ServerCount.ToString(), Formats.Res(r.Free), Formats.Res(r.Total)];

    private static string[] ZoneRow(Zone z) =>
        [z.Id, z.Region, z.Datacentre, Formats.Word(z.State), z.ServerCount.ToString(), z.InstanceCount.ToString(), Formats.Res(z.Free), Formats.Res(z.Total),
         $"{z.ServedBy} ({z.ServedByOpsCentre})"];

    private static string[] SizeRow(InstanceSize s) =>
        [s.Name, s.Family, s.Resources.Cores.ToString(), Formats.Memory(s.Resources.MemoryMib), s.Resources.Gpus == 0 ? "-" : $"{s.Resources.Gpus} {s.GpuModel}"];

    /// <summary>A noun whose bare form lists (as before), with 'list' and 'get KEY' verbs; 'get' of an unknown key suggests the closest.</summary>
    private static Command Noun<T>(CommandRunner run, string name, string description, string what, Func<Option[]> options,
        Func<ParseResult, CliContext, CancellationToken, Task<IEnumerable<T>>> fetch, Func<T, string> key, string[] columns, Func<T, string[]> row)
        where T : IMessage
    {
        Command Lister(string commandName, string text)
        {
            var command = new Command(commandName, text);
            foreach (var option in options()) command.Options.Add(option);
            run.Set(command, async (p, ctx, ct) =>
            {
                ctx.Out.Table([.. await fetch(p, ctx, ct)], columns, row);
                return ExitCodes.Ok;
            });
            return command;
        }

        var noun = Lister(name, $"{description} ('{name}' alone lists them; 'get' shows one)");
        noun.Subcommands.Add(Lister("list", $"List {description.ToLowerInvariant()}"));
        var id = new Argument<string>(what) { Description = $"The {what}" };
        var get = new Command("get", $"Show one {what}") { id };
        foreach (var option in options()) get.Options.Add(option);
        run.Set(get, async (p, ctx, ct) =>
        {
            var all = (await fetch(p, ctx, ct)).ToList();
            var wanted = p.GetValue(id)!;
            var found = all.FirstOrDefault(x => key(x) == wanted)
                ?? throw CliFailure.NotFound($"{what.ToUpperInvariant()}_NOT_FOUND", $"no {what} '{wanted}'",
                    Suggestions.DidYouMean(wanted, all.Select(key)) ?? $"see 'cpctl {name} list'");
            ctx.Out.Object(found, columns.Zip(row(found), (c, v) => (c.ToLowerInvariant().Replace('-', ' '), v)));
            return ExitCodes.Ok;
        });
        noun.Subcommands.Add(get);
        return noun;
    }
}
