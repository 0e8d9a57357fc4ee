using System.CommandLine;
using ControlPlane.Contracts.V1;
using Google.Protobuf.WellKnownTypes;

namespace ControlPlane.Cli.Commands;

/// <summary>'cpctl lockbox': operators' time-bounded access to a tenant's resources, approved by the tenant.</summary>
public static class LockboxCommands
{
    public static Command Create(CommandRunner run) => new("lockbox",
        "Access to a tenant's resources: an operator requests, the tenant's administrator approves; break-glass is four-eyes")
    {
        Request(run),
        Act(run, "approve", "approved", "Approve a pending grant (the tenant's administrator)", (c, r, ct) => c.Lockbox.ApproveTenantAccessAsync(r, cancellationToken: ct)),
        Act(run, "reject", "rejected", "Reject a pending grant (the tenant's administrator)", (c, r, ct) => c.Lockbox.RejectTenantAccessAsync(r, cancellationToken: ct)),
        Act(run, "revoke", "revoked", "End a grant now", (c, r, ct) => c.Lockbox.RevokeTenantAccessAsync(r, cancellationToken: ct)),
        Act(run, "review", "reviewed", "Record the review of a break-glass access (security officers)", (c, r, ct) => c.Lockbox.ReviewBreakGlassAsync(r, cancellationToken: ct)),
        BreakGlass(run), List(run),
    };

    private static Argument<string> Tenant() => new("tenant") { Description = "The tenant" };

    private static Command Request(CommandRunner run)
    {
        var tenant = Tenant();
        var justification = new Option<string>("--justification") { Description = "Why (shown to the tenant, recorded)", Required = true };
        var duration = new Option<TimeSpan>("--duration")
        {
            Description = $"How long, once approved, {Durations.Examples} (at most the policy's maximum, 8 h by default)", Required = true, CustomParser = Durations.ParseArgument,
        };
        var dryRun = DryRun.Option();
        var command = new Command("request", "Ask a tenant for time-bounded access to its resources") { tenant, justification, duration, dryRun };
        run.Set(command, async (p, ctx, ct) =>
        {
            var g = await ctx.Lockbox.RequestTenantAccessAsync(new RequestTenantAccessRequest
            {
                TenantId = p.GetValue(tenant)!, Justification = p.GetValue(justification)!, Duration = Duration.FromTimeSpan(p.GetValue(duration)),
                ValidateOnly = p.GetValue(dryRun),
            }, cancellationToken: ct);
            if (p.GetValue(dryRun) && !ctx.Out.IsStructured) return DryRun.Say(ctx, $"access to tenant {g.TenantId} for {g.Duration.ToTimeSpan()} would be requested");
            Show(ctx, g);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Act(CommandRunner run, string name, string done, string description,
        Func<CliContext, TenantAccessRequest, CancellationToken, Grpc.Core.AsyncUnaryCall<AccessGrant>> call)
    {
        var tenant = Tenant();
        var grant = new Argument<string>("grant") { Description = "The grant id" };
        var dryRun = DryRun.Option();
        var command = new Command(name, description) { tenant, grant, dryRun };
        run.Set(command, async (p, ctx, ct) =>
        {
            var g = await call(ctx, new TenantAccessRequest { TenantId = p.GetValue(tenant)!, GrantId = p.GetValue(grant)!, ValidateOnly = p.GetValue(dryRun) }, ct);
            if (p.GetValue(dryRun) && !ctx.Out.IsStructured) return DryRun.Say(ctx, $"grant {g.Id} would be {done} (its state then: {Formats.Word(g.State)})");
            Show(ctx, g);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command BreakGlass(CommandRunner run)
    {
        var tenant = Tenant();
        var approval = ApprovalCommands.ApprovalIdOption(required: true);
        var dryRun = DryRun.Option();
        var command = new Command("break-glass", "Emergency access without the tenant's approval: an approved break-glass request of yours; flagged for review")
        {
            tenant, approval, dryRun,
        };
        run.Set(command, async (p, ctx, ct) =>
        {
            var g = await ctx.Lockbox.BreakGlassAsync(new BreakGlassRequest
            {
                TenantId = p.GetValue(tenant)!, ApprovalId = p.GetValue(approval)!, ValidateOnly = p.GetValue(dryRun),
            }, cancellationToken: ct);
            if (p.GetValue(dryRun) && !ctx.Out.IsStructured) return DryRun.Say(ctx, $"break-glass access to tenant {g.TenantId} would be granted until {Formats.Time(g.ExpiresAt)}");
            Show(ctx, g);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CommandRunner run)
    {
        var tenant = Tenant();
        var command = new Command("list", "A tenant's grants, newest first") { tenant };
        run.Set(command, async (p, ctx, ct) =>
        {
            var r = await ctx.Lockbox.ListTenantAccessAsync(new ListTenantAccessRequest { TenantId = p.GetValue(tenant)! }, cancellationToken: ct);
            ctx.Out.Table(r.Grants, ["ID", "PRINCIPAL", "STATE", "BREAK-GLASS", "EXPIRES", "DECIDED-BY", "REVIEW"], g =>
                [g.Id, g.Principal, Formats.Word(g.State), g.BreakGlass ? "yes" : "no", Formats.Time(g.ExpiresAt), Formats.Or(g.DecidedBy),
                 g.NeedsReview ? "needed" : Formats.Or(g.ReviewedBy)]);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Show(CliContext ctx, AccessGrant g) => ctx.Out.Object(g,
    [
        ("id", g.Id), ("tenant", g.TenantId), ("principal", g.Principal), ("state", Formats.Word(g.State)), ("justification", g.Justification),
        ("duration", g.Duration?.ToTimeSpan().ToString() ?? "-"), ("expires", Formats.Time(g.ExpiresAt)), ("decided-by", Formats.Or(g.DecidedBy)),
        ("break-glass", g.BreakGlass ? $"yes (approval {g.ApprovalId}){(g.NeedsReview ? ", review needed" : "")}" : "no"),
    ]);
}
