using System.CommandLine;
using ControlPlane.Contracts.V1;

namespace ControlPlane.Cli.Commands;

/// <summary>'cpctl dr': protect instances, watch a region's protection, fail it over and back.</summary>
public static class RecoveryCommands
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(1);

    public static Command Create(CommandRunner run)
    {
        var instance = new Argument<string>("instance") { Description = "Instance id, or its name with --tenant" };
        var tenant = Names.TenantOption("instance");
        var off = new Option<bool>("--off") { Description = "End the protection and free the reservation" };
        var dryRun = DryRun.Option();
        var protect = new Command("protect", "Protect an instance (by id, or by name with --tenant): capacity is reserved for it in the disaster-recovery region")
        {
            instance, tenant, off, dryRun,
        };
        run.Set(protect, async (p, ctx, ct) =>
        {
            var request = new SetInstanceProtectionRequest
            {
                InstanceId = await Names.InstanceIdAsync(ctx, p.GetValue(instance)!, p.GetValue(tenant), ct), Protected = !p.GetValue(off), ValidateOnly = p.GetValue(dryRun),
            };
            var result = await ctx.Recovery.SetInstanceProtectionAsync(request, cancellationToken: ct);
            if (request.ValidateOnly && !ctx.Out.IsStructured)
            {
                var where = result.ReservedServerId.Length > 0 ? $", reserved on {result.ReservedServerId} ({result.ReservedZone})"
                    : result.Problem.Length > 0 ? $", without a reservation: {result.Problem}" : "";
                return DryRun.Say(ctx, $"instance {result.InstanceId} would be {(result.Protected ? "protected" + where : "unprotected")}");
            }
            ctx.Out.Object(result,
            [
                ("instance", result.InstanceId), ("protected", result.Protected ? "yes" : "no"), ("dr region", Formats.Or(result.DrRegion)),
                ("reserved on", result.ReservedServerId.Length > 0 ? $"{result.ReservedServerId} ({result.ReservedZone})" : "-"),
                ("problem", Formats.Or(result.Problem)),
            ]);
            return ExitCodes.Ok;
        });

        var statusRegion = RegionOption();
        var status = new Command("status", "Show a production region's protection: protected and reserved instances, mode, last failover or failback") { statusRegion };
        run.Set(status, async (p, ctx, ct) =>
        {
            Show(ctx, await ctx.Recovery.GetRegionProtectionAsync(new GetRegionProtectionRequest { Region = p.GetValue(statusRegion)! }, cancellationToken: ct));
            return ExitCodes.Ok;
        });

        return new Command("dr", "Disaster recovery: protect, status, failover, failback")
        {
            protect, status, RunCommand(run, "failover", "Fail a region over to its disaster-recovery region (re-creates every protected instance there; four-eyes: --approval-id)"),
            RunCommand(run, "failback", "Return a failed-over region's instances to it"),
        };
    }

    private static Command RunCommand(CommandRunner run, string name, string description)
    {
        var region = RegionOption();
        var actor = new Option<string>("--actor") { Description = "Who asks, recorded with the run when there is no authenticated principal (default: $USER)" };
        var approval = ApprovalCommands.ApprovalIdOption();
        var reason = new Option<string>("--reason") { Description = "Why (recorded with the run)", DefaultValueFactory = _ => "" };
        var wait = new Option<bool>("--wait") { Description = "Follow the run to its end, printing its progress" };
        var dryRun = DryRun.Option();
        var command = new Command(name, description) { region, actor, reason, wait, dryRun };
        if (name == "failover") command.Options.Add(approval);
        run.Set(command, async (p, ctx, ct) =>
        {
            var request = new RegionRecoveryRequest
            {
                Region = p.GetValue(region)!, Actor = p.GetValue(actor) ?? ctx.Environment("USER") ?? "cpctl", Reason = p.GetValue(reason)!,
                ApprovalId = p.GetValue(approval) ?? "", ValidateOnly = p.GetValue(dryRun),
            };
            var status = name == "failover"
                ? await ctx.Recovery.FailoverAsync(request, cancellationToken: ct)
                : await ctx.Recovery.FailbackAsync(request, cancellationToken: ct);
            if (request.ValidateOnly && !ctx.Out.IsStructured)
            {
                return DryRun.Say(ctx, name == "failover"
                    ? $"region {status.Region} would fail over to {status.DrRegion}: {status.LastRun.Total} protected instance(s) to re-create there, {status.ReservedInstances} with a reservation"
                    : $"region {status.Region} would fail back: {status.LastRun.Total} protected instance(s) to return from {status.DrRegion}");
            }
            if (request.ValidateOnly)
            {
                Show(ctx, status);
                return ExitCodes.Ok;
            }
            while (p.GetValue(wait) && status.LastRun is { EndTime: null } progress)
            {
                ctx.Out.Error.WriteLine($"{progress.Kind}: {progress.Done}/{progress.Total} moved, {progress.Failed.Count} given up");
                await Task.Delay(PollEvery, ct);
                status = await ctx.Recovery.GetRegionProtectionAsync(new GetRegionProtectionRequest { Region = request.Region }, cancellationToken: ct);
            }
            Show(ctx, status);
            return status.LastRun is { Failed.Count: > 0 } ? ExitCodes.OperationFailed : ExitCodes.Ok;
        });
        return command;
    }

    private static Option<string> RegionOption() => new("--region") { Description = "A production region, e.g. france-centre", Required = true };

    private static void Show(CliContext ctx, RegionProtection s)
    {
        var run = s.LastRun;
        ctx.Out.Object(s,
        [
            ("region", s.Region), ("dr region", Formats.Or(s.DrRegion)), ("mode", Formats.Word(s.Mode)),
            ("protected", s.ProtectedInstances.ToString()), ("reserved", s.ReservedInstances.ToString()),
            .. s.Unreserved.Select(u => ("unreserved", $"{u.InstanceId}: {u.Problem}")),
            ("last run", run is null ? "-" : $"{run.Kind} by {run.Actor} ({Formats.Or(run.Reason)}), {run.Done}/{run.Total} moved, {run.Failed.Count} given up, " +
                $"{run.LostInstanceIds.Count} unprotected lost, started {Formats.Time(run.StartTime)}, " +
                (run.EndTime is null ? "running" : $"ended {Formats.Time(run.EndTime)} ({(run.EndTime.ToDateTimeOffset() - run.StartTime.ToDateTimeOffset()).TotalSeconds:0.0} s)")),
            .. (run?.Failed ?? []).Select(f => ("given up", $"{f.Key}: {f.Value}")),
            .. (run?.LostInstanceIds ?? []).Take(20).Select(id => ("lost", id)),
        ]);
    }
}
