using System.CommandLine;
using ControlPlane.Contracts.V1;
using Google.Protobuf.WellKnownTypes;

namespace ControlPlane.Cli.Commands;

/// <summary>'cpctl approvals': four-eyes requests for privileged operations.</summary>
public static class ApprovalCommands
{
    private static readonly string[] ActionWords = [.. System.Enum.GetValues<ApprovalAction>().Skip(1).Select(a => Formats.Word(a))];
    private static readonly string[] StateWords = [.. System.Enum.GetValues<ApprovalState>().Skip(1).Select(s => Formats.Word(s))];

    /// <summary>The option privileged commands take: the approved request of the caller.</summary>
    public static Option<string?> ApprovalIdOption(bool required = false) => new("--approval-id")
    {
        Description = "An approved four-eyes request of yours for this action and target (cpctl approvals request …)", Required = required,
    };

    public static Command Create(CommandRunner run) => new("approvals",
        "Four-eyes: request an approval for a privileged operation, approve or reject another's, list them")
    {
        Request(run), Decide(run, "approve"), Decide(run, "reject"), Get(run), List(run),
    };

    private static Command Request(CommandRunner run)
    {
        var action = new Argument<string>("action") { Description = string.Join(", ", ActionWords) };
        action.AcceptOnlyFromAmong(ActionWords);
        var target = new Argument<string>("target") { Description = "Server id, zone id, tenant id, region id, or platform (unseal)" };
        var justification = new Option<string>("--justification") { Description = "Why (recorded)", Required = true };
        var duration = new Option<TimeSpan?>("--grant-duration")
        {
            Description = $"Break-glass only: how long the access lasts, {Durations.Examples} (default: the policy's maximum)", CustomParser = r => Durations.ParseArgument(r),
        };
        var dryRun = DryRun.Option();
        var command = new Command("request", "Ask for an approval; a second, different principal approves it; then act with --approval-id")
        {
            action, target, justification, duration, dryRun,
        };
        run.Set(command, async (p, ctx, ct) =>
        {
            var request = new RequestApprovalRequest
            {
                Action = Formats.ParseWord<ApprovalAction>(p.GetValue(action)!)!.Value, Target = p.GetValue(target)!, Justification = p.GetValue(justification)!,
                ValidateOnly = p.GetValue(dryRun),
            };
            if (p.GetValue(duration) is { } d) request.GrantDuration = Duration.FromTimeSpan(d);
            var a = await ctx.Approvals.RequestApprovalAsync(request, cancellationToken: ct);
            if (request.ValidateOnly && !ctx.Out.IsStructured) return DryRun.Say(ctx, $"approval of {Formats.Word(a.Action)} of {a.Target} would be requested");
            Show(ctx, a);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Decide(CommandRunner run, string name)
    {
        var id = new Argument<string>("id") { Description = "The approval request" };
        var dryRun = DryRun.Option();
        var command = new Command(name, name == "approve" ? "Approve another principal's request (never your own)" : "Reject a pending request") { id, dryRun };
        run.Set(command, async (p, ctx, ct) =>
        {
            var request = new DecideApprovalRequest { Id = p.GetValue(id)!, ValidateOnly = p.GetValue(dryRun) };
            var a = name == "approve" ? await ctx.Approvals.ApproveAsync(request, cancellationToken: ct) : await ctx.Approvals.RejectAsync(request, cancellationToken: ct);
            if (request.ValidateOnly && !ctx.Out.IsStructured) return DryRun.Say(ctx, $"approval {a.Id} would be {Formats.Word(a.State)} by {a.Approver}");
            Show(ctx, a);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Get(CommandRunner run)
    {
        var id = new Argument<string>("id") { Description = "The approval request" };
        var command = new Command("get", "Show an approval request") { id };
        run.Set(command, async (p, ctx, ct) =>
        {
            Show(ctx, await ctx.Approvals.GetApprovalAsync(new GetApprovalRequest { Id = p.GetValue(id)! }, cancellationToken: ct));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CommandRunner run)
    {
        var state = new Option<string?>("--state") { Description = string.Join(", ", StateWords) };
        state.AcceptOnlyFromAmong(StateWords);
        var command = new Command("list", "List approval requests, newest first") { state };
        run.Set(command, async (p, ctx, ct) =>
        {
            var filter = p.GetValue(state) is { } s ? Formats.ParseWord<ApprovalState>(s)!.Value : ApprovalState.Unspecified;
            var r = await ctx.Approvals.ListApprovalsAsync(new ListApprovalsRequest { State = filter }, cancellationToken: ct);
            ctx.Out.Table(r.Approvals, ["ID", "ACTION", "TARGET", "STATE", "REQUESTER", "APPROVER", "EXPIRES"], a =>
                [a.Id, Formats.Word(a.Action), a.Target, Formats.Word(a.State), a.Requester, Formats.Or(a.Approver), Formats.Time(a.ExpiresAt)]);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Show(CliContext ctx, Approval a) => ctx.Out.Object(a,
    [
        ("id", a.Id), ("action", Formats.Word(a.Action)), ("target", a.Target), ("state", Formats.Word(a.State)),
        ("requester", a.Requester), ("justification", a.Justification), ("approver", Formats.Or(a.Approver)),
        ("expires", Formats.Time(a.ExpiresAt)), ("used", Formats.Time(a.UsedAt)),
    ]);
}
