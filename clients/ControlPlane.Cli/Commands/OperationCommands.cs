using System.CommandLine;
using ControlPlane.Cli.Errors;
using ControlPlane.Cli.Progress;
using ControlPlane.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace ControlPlane.Cli.Commands;

public static class OperationCommands
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    public static Option<TimeSpan> Timeout() => new("--timeout")
    {
        Description = $"How long to wait, {Durations.Examples} (default 5m)",
        DefaultValueFactory = _ => DefaultTimeout,
        CustomParser = Durations.ParseArgument,
    };

    public static Command Create(CommandRunner run)
    {
        var id = new Argument<string>("id") { Description = "Operation id" };
        var watch = new Option<bool>("--watch", "-w") { Description = "Show the operation again at each change of state until it ends (exit code as 'wait')" };
        var get = new Command("get", "Show an operation") { id, watch };
        run.Set(get, async (p, ctx, ct) =>
        {
            if (p.GetValue(watch)) return await WatchAsync(ctx, p.GetValue(id)!, ct);
            var operation = await ctx.Provisioning.GetOperationAsync(new GetOperationRequest { Id = p.GetValue(id)! }, cancellationToken: ct);
            await ShowAsync(ctx, operation);
            return ExitCodes.Ok;
        });

        var waitId = new Argument<string>("id") { Description = "Operation id" };
        var timeout = Timeout();
        var wait = new Command("wait", "Wait until an operation succeeds or fails; exit 5 if it failed, 4 on timeout") { waitId, timeout };
        run.Set(wait, (p, ctx, ct) => WaitAsync(ctx, p.GetValue(waitId)!, p.GetValue(timeout), ct));

        var traceId = new Argument<string>("id") { Description = "Operation id" };
        var trace = new Command("trace", "Print the trace viewer's link to an operation's trace (viewer from --trace-url, $CONTROLPLANE_TRACE_VIEWER or the context)")
        {
            traceId,
        };
        run.Set(trace, async (p, ctx, ct) =>
        {
            var operation = await ctx.Provisioning.GetOperationAsync(new GetOperationRequest { Id = p.GetValue(traceId)! }, cancellationToken: ct);
            if (operation.TraceId.Length == 0)
            {
                throw CliFailure.Precondition(CliFailure.NoTraceId, $"operation {operation.Id} has no trace id (it started without tracing)");
            }
            if (ctx.Target.TraceUrl is not { Length: > 0 } viewer)
            {
                throw CliFailure.Usage(CliFailure.TraceViewerNotConfigured,
                    $"no trace viewer is configured for {ctx.Target.Describe()}; trace id {operation.TraceId}",
                    $"give --trace-url URL, set ${GlobalOptions.TraceUrlVariable}, or store it in the context ('cpctl config set-context NAME --trace-url URL')");
            }
            ctx.Out.Line($"{viewer.TrimEnd('/')}/traces/detail/{operation.TraceId}");
            return ExitCodes.Ok;
        });

        return new Command("operations", "Operations: list, get, wait, trace") { List(run), get, wait, trace };
    }

    private static readonly string[] StateWords = [.. System.Enum.GetValues<OperationState>().Skip(1).Select(s => Formats.Word(s))];
    private static readonly string[] KindWords = [.. System.Enum.GetValues<OperationKind>().Skip(1).Select(k => Formats.Word(k))];

    private static Command List(CommandRunner run)
    {
        var state = new Option<string?>("--state") { Description = string.Join(", ", StateWords) };
        state.AcceptOnlyFromAmong(StateWords);
        var kind = new Option<string?>("--kind") { Description = string.Join(", ", KindWords) };
        kind.AcceptOnlyFromAmong(KindWords);
        var tenant = new Option<string?>("--tenant") { Description = "Only this tenant's operations (required unless you may read every tenant's)" };
        var limit = Paging.Limit();
        var pageToken = Paging.PageToken();
        var watch = new Option<bool>("--watch", "-w") { Description = "List again each second and show the list whenever it changes, until Ctrl-C" };
        var list = new Command("list", "List operations, newest first: every unfinished one and the most recent finished ones")
        {
            state, kind, tenant, limit, pageToken, watch,
        };
        run.Set(list, async (p, ctx, ct) =>
        {
            var request = new ListOperationsRequest
            {
                TenantId = p.GetValue(tenant) ?? "",
                State = p.GetValue(state) is { } s ? Formats.ParseWord<OperationState>(s)!.Value : OperationState.Unspecified,
                Kind = p.GetValue(kind) is { } k ? Formats.ParseWord<OperationKind>(k)!.Value : OperationKind.Unspecified,
            };
            async Task<(List<Operation> Items, string? Next)> Fetch() => await Paging.CollectAsync(p.GetValue(limit), p.GetValue(pageToken), async (pageSize, token) =>
            {
                var r = await ctx.Provisioning.ListOperationsAsync(new ListOperationsRequest(request) { PageSize = pageSize, PageToken = token }, cancellationToken: ct);
                return (r.Operations, r.NextPageToken);
            });
            string? shown = null; // nothing shown yet: an empty list is shown too (headers, or an empty items array)
            try
            {
                while (true)
                {
                    var (operations, next) = await Fetch();
                    var seen = string.Join(";", operations.Select(o => $"{o.Id}/{o.State}/{o.UpdateTime}"));
                    if (seen != shown)
                    {
                        if (shown is not null && !ctx.Out.IsStructured) ctx.Out.Line("");
                        ShowList(ctx, operations, next);
                        shown = seen;
                    }
                    if (!p.GetValue(watch)) return ExitCodes.Ok;
                    await Task.Delay(WatchPeriod, ct);
                }
            }
            catch (Exception e) when (ct.IsCancellationRequested && e is OperationCanceledException or RpcException)
            {
                // Ctrl-C is how a watch ends.
                return ExitCodes.Ok;
            }
        });
        return list;
    }

    private static void ShowList(CliContext ctx, List<Operation> operations, string? next) =>
        ctx.Out.Table(operations, ["ID", "KIND", "STATE", "TENANT", "INSTANCE", "CREATED", "ERROR"], o =>
            [o.Id, Formats.Kind(o.Kind), Formats.State(o.State), Formats.Or(o.TenantId),
             Formats.Or(o.InstanceIds.Count > 1 ? string.Join(",", o.InstanceIds) : o.InstanceId), Formats.Time(o.CreateTime),
             o.Error is null ? "-" : o.Error.Message], next,
            new WideColumns<Operation>(["REQUEST", "SERVICE", "SERVER", "UPDATED", "ENDED", "TRACE"], o =>
                [Formats.Or(o.RequestId), Formats.Or(o.ServiceId), Formats.Or(o.ServerId), Formats.Time(o.UpdateTime), Formats.Time(o.EndTime), Formats.Or(o.TraceId)]));

    /// <summary>Follows an operation to its end, then shows it and returns the exit code it deserves; Ctrl-C says how to resume.</summary>
    public static async Task<int> WaitAsync(CliContext ctx, string operationId, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        // On a terminal the status line shows each state, so the long poll returns often enough to see them.
        var longest = ctx.Out.StderrIsTerminal ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(30);
        var last = "pending";
        Operation operation;
        try
        {
            operation = await StatusLine.RunAsync(ctx.Out.StderrIsTerminal, ctx.Out.Error, $"operation {operationId}: waiting", async status =>
            {
                while (true)
                {
                    var left = deadline - DateTime.UtcNow;
                    var slice = left < longest ? left : longest;
                    if (slice < TimeSpan.Zero) slice = TimeSpan.Zero;
                    var current = await ctx.Provisioning.WaitOperationAsync(
                        new WaitOperationRequest { Id = operationId, Timeout = Duration.FromTimeSpan(slice) },
                        deadline: DateTime.UtcNow + slice + TimeSpan.FromSeconds(10), cancellationToken: ct);
                    last = Formats.State(current.State);
                    status($"operation {operationId} ({Formats.Kind(current.Kind)}): {last}");
                    if (IsTerminal(current) || DateTime.UtcNow >= deadline) return current;
                }
            });
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is OperationCanceledException or RpcException)
        {
            return await InterruptedAsync(ctx, operationId, last);
        }
        await ShowAsync(ctx, operation);
        if (!IsTerminal(operation))
        {
            throw CliFailure.TimedOut($"operation {operationId} is still {Formats.State(operation.State)} after {Durations.Format(timeout)}",
                $"wait longer with: cpctl operations wait {operationId}");
        }
        return operation.State == OperationState.Succeeded ? ExitCodes.Ok : ExitCodes.OperationFailed;
    }

    /// <summary>Ctrl-C while following an operation: it goes on in the control plane; say how to follow it again.</summary>
    private static async Task<int> InterruptedAsync(CliContext ctx, string operationId, string state)
    {
        await ctx.Out.Error.WriteLineAsync($"interrupted: operation {operationId} goes on ({state}); follow it with: cpctl operations wait {operationId}");
        return ExitCodes.Interrupted;
    }

    /// <summary>--watch: shows the operation again at each change of state, until it ends.</summary>
    private static async Task<int> WatchAsync(CliContext ctx, string operationId, CancellationToken ct)
    {
        var shown = "";
        var state = "pending";
        try
        {
            while (true)
            {
                var operation = await ctx.Provisioning.GetOperationAsync(new GetOperationRequest { Id = operationId }, cancellationToken: ct);
                state = Formats.State(operation.State);
                var seen = $"{operation.State}/{operation.UpdateTime}";
                if (seen != shown)
                {
                    if (shown.Length > 0 && !ctx.Out.IsStructured) ctx.Out.Line("");
                    await ShowAsync(ctx, operation);
                    shown = seen;
                }
                if (IsTerminal(operation)) return operation.State == OperationState.Succeeded ? ExitCodes.Ok : ExitCodes.OperationFailed;
                await Task.Delay(WatchPeriod, ct);
            }
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is OperationCanceledException or RpcException)
        {
            return await InterruptedAsync(ctx, operationId, state);
        }
    }

    private static readonly TimeSpan WatchPeriod = TimeSpan.FromSeconds(1);

    public static bool IsTerminal(Operation o) => o.State is OperationState.Succeeded or OperationState.Failed;

    public static async Task ShowAsync(CliContext ctx, Operation o)
    {
        ctx.Out.Object(o,
        [
            ("id", o.Id), ("request id", o.RequestId), ("kind", Formats.Kind(o.Kind)), ("state", Formats.State(o.State)),
            ("tenant", Formats.Or(o.TenantId)), ("service", Formats.Or(o.ServiceId)), ("server", Formats.Or(o.ServerId)),
            ("instance", o.InstanceIds.Count > 1 ? string.Join(", ", o.InstanceIds) : Formats.Or(o.InstanceId)), ("created", Formats.Time(o.CreateTime)),
            ("updated", Formats.Time(o.UpdateTime)), ("ended", Formats.Time(o.EndTime)),
            ("trace id", Formats.Or(o.TraceId)),
            ("error", o.Error is null ? "-" : o.Error.Message),
        ]);
        if (o.Error is not null) Errors.CliError.From(o.Error).WriteText(ctx.Out.Error, "operation failed: ");
    }

    public static Option<string?> RequestIdOption() => new("--request-id")
    {
        Description = "Idempotency key; repeat it to retry safely (default: a new UUID)",
    };

    public static string NewRequestId() => Guid.NewGuid().ToString();

    /// <summary>Shows an operation just started, or follows it to its end with --wait.</summary>
    public static async Task<int> FinishAsync(CliContext ctx, Operation operation, bool wait, TimeSpan timeout, CancellationToken ct)
    {
        if (wait && !IsTerminal(operation))
        {
            return await WaitAsync(ctx, operation.Id, timeout, ct);
        }
        await ShowAsync(ctx, operation);
        return operation.State == OperationState.Failed ? ExitCodes.OperationFailed : ExitCodes.Ok;
    }
}
