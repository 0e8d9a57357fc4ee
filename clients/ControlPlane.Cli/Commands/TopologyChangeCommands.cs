using System.CommandLine;
using ControlPlane.Cli.Errors;
using ControlPlane.Contracts.V1;

namespace ControlPlane.Cli.Commands;

/// <summary>'cpctl topology': live topology changes and their log.</summary>
public static class TopologyChangeCommands
{
    private static readonly TimeSpan PollPeriod = TimeSpan.FromMilliseconds(500);

    public static Command Create(CommandRunner run) => new("topology", "Live topology changes (recorded with actor and reason): add-zone, set-region-role, retire-zone, changes")
    {
        AddZone(run), SetRegionRole(run), RetireZone(run), Changes(run),
    };

    private static Option<string?> Actor() => new("--actor") { Description = "Who makes the change, recorded in the change log (default: $USER)" };

    private static Option<string?> Reason() => new("--reason") { Description = "Why, recorded in the change log" };

    private static string ActorOf(ParseResult p, Option<string?> actor, CliContext ctx) => p.GetValue(actor) ?? ctx.Environment("USER") ?? "cpctl";

    private static Command AddZone(CommandRunner run)
    {
        var zone = new Argument<string>("zone") { Description = "The new zone's id, e.g. fr-centre-4 (ids are never reused)" };
        var region = new Option<string>("--region") { Description = "The region the zone joins", Required = true };
        var datacentre = new Option<string>("--datacentre") { Description = "The datacentre that houses it", Required = true };
        var racks = new Option<RackGroup[]>("--racks")
        {
            Description = "SKU:RACKS:SERVERS-PER-RACK, e.g. gp-64:50:40; repeat for several SKUs", Required = true,
            CustomParser = result =>
            {
                var groups = new List<RackGroup>();
                foreach (var token in result.Tokens)
                {
                    var parts = token.Value.Split(':');
                    if (parts.Length != 3 || !int.TryParse(parts[1], out var count) || !int.TryParse(parts[2], out var perRack))
                    {
                        result.AddError($"--racks '{token.Value}' is not SKU:RACKS:SERVERS-PER-RACK");
                        return [];
                    }
                    groups.Add(new RackGroup { Sku = parts[0], Racks = count, ServersPerRack = perRack });
                }
                return [.. groups];
            },
        };
        var actor = Actor();
        var reason = Reason();
        var dryRun = DryRun.Option();
        var command = new Command("add-zone", "Add a zone (a datacentre and its racks of servers) to a region; it takes placements at once")
        {
            zone, region, datacentre, racks, actor, reason, dryRun,
        };
        run.Set(command, async (p, ctx, ct) =>
        {
            var request = new AddZoneRequest
            {
                Zone = p.GetValue(zone)!, Region = p.GetValue(region)!, Datacentre = p.GetValue(datacentre)!,
                Actor = ActorOf(p, actor, ctx), Reason = p.GetValue(reason) ?? "", ValidateOnly = p.GetValue(dryRun),
            };
            request.Racks.AddRange(p.GetValue(racks)!);
            var change = await ctx.Topology.AddZoneAsync(request, cancellationToken: ct);
            if (request.ValidateOnly && !ctx.Out.IsStructured) return Said(ctx, change, $"zone {change.Zone} would be added to region {change.Region} ({Detail(change)})");
            Show(ctx, change);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command SetRegionRole(CommandRunner run)
    {
        var region = new Argument<string>("region") { Description = "The region" };
        var role = new Argument<string>("role") { Description = "production or disaster-recovery" };
        role.AcceptOnlyFromAmong(Formats.Word(RegionRole.Production), Formats.Word(RegionRole.DisasterRecovery));
        var actor = Actor();
        var reason = Reason();
        var dryRun = DryRun.Option();
        var command = new Command("set-region-role",
            "Make a region production or disaster recovery; a disaster-recovery region accepts no new instances, what runs there keeps running")
        {
            region, role, actor, reason, dryRun,
        };
        run.Set(command, async (p, ctx, ct) =>
        {
            var change = await ctx.Topology.SetRegionRoleAsync(new SetRegionRoleRequest
            {
                Region = p.GetValue(region)!, Role = Formats.ParseWord<RegionRole>(p.GetValue(role)!)!.Value,
                Actor = ActorOf(p, actor, ctx), Reason = p.GetValue(reason) ?? "", ValidateOnly = p.GetValue(dryRun),
            }, cancellationToken: ct);
            if (p.GetValue(dryRun) && !ctx.Out.IsStructured) return Said(ctx, change, $"region {change.Region} would become {Formats.Word(change.Role)}");
            Show(ctx, change);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command RetireZone(CommandRunner run)
    {
        var zone = new Argument<string>("zone") { Description = "The zone to retire" };
        var wait = new Option<bool>("--wait") { Description = "Wait until the zone is drained and removed (RETIRED); exit 4 on timeout" };
        var timeout = OperationCommands.Timeout();
        var actor = Actor();
        var reason = Reason();
        var approval = ApprovalCommands.ApprovalIdOption();
        var dryRun = DryRun.Option();
        var command = new Command("retire-zone",
            "Retire a zone: cordon every server, drain them (instances move live to the region's other zones), then remove the zone (four-eyes: --approval-id)")
        {
            zone, wait, timeout, actor, reason, approval, dryRun,
        };
        run.Set(command, async (p, ctx, ct) =>
        {
            var id = p.GetValue(zone)!;
            var dry = p.GetValue(dryRun);
            var change = await ctx.Topology.RetireZoneAsync(new RetireZoneRequest
            {
                Zone = id, Actor = ActorOf(p, actor, ctx), Reason = p.GetValue(reason) ?? "", ApprovalId = p.GetValue(approval) ?? "", ValidateOnly = dry,
            }, cancellationToken: ct);
            if (dry && !ctx.Out.IsStructured) return Said(ctx, change, $"zone {change.Zone} of region {change.Region} would be retired (cordoned, drained, removed)");
            if (!p.GetValue(wait) || dry)
            {
                Show(ctx, change);
                return ExitCodes.Ok;
            }
            var deadline = DateTime.UtcNow + p.GetValue(timeout);
            while (true)
            {
                var zones = await ctx.Topology.ListZonesAsync(new ListZonesRequest { Region = change.Region }, cancellationToken: ct);
                var now = zones.Zones.Single(z => z.Id == id);
                if (now.State == ZoneState.Retired)
                {
                    Show(ctx, change);
                    return ExitCodes.Ok;
                }
                if (DateTime.UtcNow >= deadline)
                {
                    throw CliFailure.TimedOut($"zone {id} is still {Formats.Word(now.State)} with {now.InstanceCount} instance(s) after {p.GetValue(timeout)}",
                        $"follow it with: cpctl zones list --region {change.Region}");
                }
                await Task.Delay(PollPeriod, ct);
            }
        });
        return command;
    }

    private static Command Changes(CommandRunner run)
    {
        var after = new Option<long>("--after") { Description = "Only the changes after this version" };
        var command = new Command("changes", "The topology change log, oldest first: what changed, when, by whom and why") { after };
        run.Set(command, async (p, ctx, ct) =>
        {
            var changes = new List<TopologyChange>();
            var from = p.GetValue(after);
            while (true)
            {
                var page = await ctx.Topology.ListTopologyChangesAsync(new ListTopologyChangesRequest { AfterVersion = from, PageSize = 1000 }, cancellationToken: ct);
                changes.AddRange(page.Changes);
                if (page.Changes.Count == 0 || page.Changes[^1].Version >= page.LatestVersion) break;
                from = page.Changes[^1].Version;
            }
            ctx.Out.Table(changes, ["VERSION", "TIME", "KIND", "REGION", "ZONE", "DETAIL", "ACTOR", "REASON"], c =>
                [c.Version.ToString(), Formats.Time(c.Time), Formats.Word(c.Kind), c.Region, Formats.Or(c.Zone), Detail(c), c.Actor, Formats.Or(c.Reason)]);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Detail(TopologyChange c) => c.Kind switch
    {
        TopologyChangeKind.AddZone => $"{c.Datacentre}: " + string.Join(",", c.Racks.Select(g => $"{g.Sku}:{g.Racks}:{g.ServersPerRack}")),
        TopologyChangeKind.SetRegionRole => Formats.Word(c.Role),
        _ => "-",
    };

    /// <summary>A dry run's change in words: "dry run: zone Z would be added to region R (...) as change 7 (nothing was changed)".</summary>
    private static int Said(CliContext ctx, TopologyChange c, string what) => DryRun.Say(ctx, $"{what} as change {c.Version}");

    private static void Show(CliContext ctx, TopologyChange c) => ctx.Out.Object(c,
    [
        ("version", c.Version.ToString()), ("time", Formats.Time(c.Time)), ("kind", Formats.Word(c.Kind)), ("region", c.Region),
        ("zone", Formats.Or(c.Zone)), ("detail", Detail(c)), ("actor", c.Actor), ("reason", Formats.Or(c.Reason)),
    ]);
}
