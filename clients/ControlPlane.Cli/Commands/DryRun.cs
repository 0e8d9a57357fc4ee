using System.CommandLine;
using ControlPlane.Contracts.V1;

namespace ControlPlane.Cli.Commands;

/// <summary>
/// '--dry-run' on the commands whose request has validate_only: the control plane makes every check of the real request
/// (quota and placement included) and changes nothing. Exit 0 when the request would succeed; its error and exit code otherwise.
/// </summary>
public static class DryRun
{
    public const string Name = "--dry-run";

    public static Option<bool> Option() => new(Name)
    {
        Description = "Check the request on the control plane (every check, quota and placement included) without doing it; exit 0 if it would succeed",
    };

    /// <summary>Whether the command line asked for a dry run (for the context line on stderr).</summary>
    public static bool IsSet(ParseResult parse) => parse.CommandResult.Command.Options.FirstOrDefault(o => o.Name == Name) is Option<bool> option
        && parse.GetValue(option);

    /// <summary>A dry run's operation: "dry run: instance web-2 would be created in zone fr-centre-2" (the operation under -o json|yaml).</summary>
    public static int Show(CliContext ctx, Operation o, string what, string verb)
    {
        if (ctx.Out.IsStructured)
        {
            ctx.Out.Object(o, []);
            return ExitCodes.Ok;
        }
        if (o.Id.Length > 0)
        {
            ctx.Out.Line($"dry run: {what}: its request id already started operation {o.Id} ({Formats.State(o.State)}); the request would answer it");
            return ExitCodes.Ok;
        }
        var zones = o.ValidatedZones.Count switch
        {
            0 => "",
            1 => $" in zone {o.ValidatedZones[0]}",
            _ => $" in zones {string.Join(", ", o.ValidatedZones)}",
        };
        ctx.Out.Line($"dry run: {what} would be {verb}{zones} (nothing was changed)");
        return ExitCodes.Ok;
    }

    /// <summary>A dry run's answer in words, for a request that answers a resource: "dry run: {what} (nothing was changed)".</summary>
    public static int Say(CliContext ctx, string what)
    {
        ctx.Out.Line($"dry run: {what} (nothing was changed)");
        return ExitCodes.Ok;
    }

    /// <summary>A dry run's server: "dry run: server S would be DRAINING (now ACTIVE)".</summary>
    public static int Show(CliContext ctx, Server now, Server after)
    {
        if (ctx.Out.IsStructured)
        {
            ctx.Out.Object(after, []);
            return ExitCodes.Ok;
        }
        ctx.Out.Line(now.Lifecycle == after.Lifecycle
            ? $"dry run: server {after.Id} would stay {Formats.Lifecycle(after.Lifecycle)} (nothing to do)"
            : $"dry run: server {after.Id} would be {Formats.Lifecycle(after.Lifecycle)} (now {Formats.Lifecycle(now.Lifecycle)}; nothing was changed)");
        return ExitCodes.Ok;
    }
}
