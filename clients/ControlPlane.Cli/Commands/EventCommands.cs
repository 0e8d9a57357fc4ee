using System.CommandLine;
using System.Globalization;
using ControlPlane.Cli.Errors;
using ControlPlane.Contracts.V1;
using Google.Protobuf.WellKnownTypes;

namespace ControlPlane.Cli.Commands;

/// <summary>'cpctl events': the platform's event log (ops-centre takeovers and returns).</summary>
public static class EventCommands
{
    private static readonly string[] KindWords = [.. System.Enum.GetValues<EventKind>().Skip(1).Select(k => Formats.Word(k))];

    public static Command Create(CommandRunner run)
    {
        var events = new Command("events", "The platform's event log: ops-centre takeovers and returns, with their measured delays");
        events.Subcommands.Add(List(run));
        return events;
    }

    private static Command List(CommandRunner run)
    {
        var kind = new Option<string?>("--kind") { Description = $"Only events of this kind: {string.Join(", ", KindWords)}" };
        kind.AcceptOnlyFromAmong(KindWords);
        var since = new Option<string?>("--since") { Description = "Only events recorded at or after this time (ISO 8601, UTC unless an offset is given)" };
        var oldestFirst = new Option<bool>("--oldest-first") { Description = "Oldest first (default: newest first)" };
        var limit = Paging.Limit();
        var pageToken = Paging.PageToken();
        var command = new Command("list", "List events, newest first: kind, ops centre, who took over, regions, detecting silo and delay from detection to record")
        {
            kind, since, oldestFirst, limit, pageToken,
        };
        run.Set(command, async (p, ctx, ct) =>
        {
            Timestamp? from = null;
            if (p.GetValue(since) is { } text)
            {
                if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    throw CliFailure.Usage(CliError.CommandLineInvalid, $"--since '{text}' is not a time, e.g. 2026-11-28T17:00:00Z");
                }
                from = Timestamp.FromDateTimeOffset(parsed);
            }
            var filter = p.GetValue(kind) is { } k ? Formats.ParseWord<EventKind>(k)!.Value : EventKind.Unspecified;
            var (items, next) = await Paging.CollectAsync(p.GetValue(limit), p.GetValue(pageToken), async (size, token) =>
            {
                var r = await ctx.Events.ListEventsAsync(new ListEventsRequest
                {
                    Kind = filter, Since = from, OldestFirst = p.GetValue(oldestFirst), PageSize = size, PageToken = token,
                }, cancellationToken: ct);
                return (r.Events, r.NextPageToken);
            });
            ctx.Out.Table(items, ["SEQ", "TIME", "KIND", "OPS-CENTRE", "TAKEN-OVER-BY", "REGIONS", "DETECTED-BY", "DELAY"], e =>
                [e.Sequence.ToString(CultureInfo.InvariantCulture), Formats.Time(e.Time), Formats.Word(e.Kind), e.OpsCentre,
                 Formats.Or(string.Join(",", e.TakenOverBy)), Formats.Or(string.Join(",", e.Regions)), e.DetectedBy,
                 e.Delay is null ? "-" : $"{e.Delay.ToTimeSpan().TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)}ms"], next);
            return ExitCodes.Ok;
        });
        return command;
    }
}
