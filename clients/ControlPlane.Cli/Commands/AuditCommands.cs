using System.CommandLine;
using ControlPlane.Contracts.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace ControlPlane.Cli.Commands;

/// <summary>'cpctl audit': list the audit log, export a tenant's records, verify the chain.</summary>
public static class AuditCommands
{
    public static Command Create(CommandRunner run)
    {
        var tenant = new Option<string?>("--tenant") { Description = "Only this tenant's records" };
        var principal = new Option<string?>("--principal") { Description = "Only this principal's records" };
        var since = new Option<DateTimeOffset?>("--since") { Description = "From this time (ISO 8601, e.g. 2026-11-01T00:00:00Z)" };
        var until = new Option<DateTimeOffset?>("--until") { Description = "Before this time" };
        var limit = Paging.Limit();
        var pageToken = Paging.PageToken();
        var list = new Command("list", "List audit records, oldest first") { tenant, principal, since, until, limit, pageToken };
        run.Set(list, async (p, ctx, ct) =>
        {
            var (records, next) = await Paging.CollectAsync(p.GetValue(limit), p.GetValue(pageToken), async (pageSize, token) =>
            {
                var r = await ctx.Audit.ListAuditRecordsAsync(Request(p.GetValue(tenant), p.GetValue(principal), p.GetValue(since), p.GetValue(until), pageSize, token), cancellationToken: ct);
                return (r.Records, r.NextPageToken);
            });
            ctx.Out.Table(records, ["SEQ", "TIME", "PRINCIPAL", "ACTION", "TARGET", "TENANT", "DECISION", "REASON"], r =>
                [r.Sequence.ToString(), Formats.Time(r.Time), r.Principal, r.Action, Formats.Or(r.Target), Formats.Or(r.TenantId), r.Decision, Formats.Or(r.Reason)], next);
            return ExitCodes.Ok;
        });

        var exportTenant = new Option<string>("--tenant") { Description = "The tenant whose records to export", Required = true };
        var export = new Command("export", "Export every record of a tenant as JSON lines (with their hashes)") { exportTenant };
        run.Set(export, async (p, ctx, ct) =>
        {
            var token = "";
            do
            {
                var page = await ctx.Audit.ListAuditRecordsAsync(Request(p.GetValue(exportTenant), null, null, null, 1000, token), cancellationToken: ct);
                foreach (var record in page.Records) ctx.Out.Line(JsonFormatter.Default.Format(record));
                token = page.NextPageToken;
            }
            while (token.Length > 0);
            return ExitCodes.Ok;
        });

        var verify = new Command("verify", "Check the hash chain; names the first altered, removed or reordered record (exit code 5)");
        run.Set(verify, async (p, ctx, ct) =>
        {
            var v = await ctx.Audit.VerifyAuditLogAsync(new VerifyAuditLogRequest(), cancellationToken: ct);
            ctx.Out.Object(v,
            [
                ("valid", v.Valid ? "yes" : "NO"), ("checked", $"{v.Checked} records from sequence {v.FromSequence}"),
                ("broken at", v.Valid ? "-" : $"{v.BrokenSequence} ({v.Problem})"), ("message", v.Message),
            ]);
            return v.Valid ? ExitCodes.Ok : ExitCodes.OperationFailed;
        });

        return new Command("audit", "The audit log: list, export, verify") { list, export, verify };
    }

    private static ListAuditRecordsRequest Request(string? tenant, string? principal, DateTimeOffset? since, DateTimeOffset? until, int pageSize, string? token)
    {
        var request = new ListAuditRecordsRequest { TenantId = tenant ?? "", Principal = principal ?? "", PageSize = pageSize, PageToken = token ?? "" };
        if (since is { } s) request.Since = Timestamp.FromDateTimeOffset(s);
        if (until is { } u) request.Until = Timestamp.FromDateTimeOffset(u);
        return request;
    }
}
