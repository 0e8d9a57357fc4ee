using System.CommandLine;
using ControlPlane.Contracts.V1;

namespace ControlPlane.Cli.Commands;

/// <summary>'cpctl cluster': the control plane's own silos (operators).</summary>
public static class ClusterCommands
{
    public static Command Create(CommandRunner run)
    {
        var cluster = new Command("cluster", "The control plane's own cluster of silos (operators)");
        cluster.Subcommands.Add(Members(run));
        return cluster;
    }

    private static Command Members(CommandRunner run)
    {
        var command = new Command("members", "List the silos in the cluster's membership, oldest first: name, status, address, start time, ops centre and the regions it pilots; * marks the silo that answered");
        run.Set(command, async (_, ctx, ct) =>
        {
            var members = (await ctx.Diagnostics.ListClusterMembersAsync(new ListClusterMembersRequest(), cancellationToken: ct)).Members;
            ctx.Out.Table(members, ["NAME", "STATUS", "ADDRESS", "STARTED", "OPS-CENTRE", "REGIONS"], m =>
                [m.Answered ? $"{m.Name}*" : m.Name, Formats.Word(m.Status), m.Address, Formats.Time(m.StartTime), Formats.Or(m.OpsCentre),
                 Formats.Or(string.Join(",", m.Regions))]);
            return ExitCodes.Ok;
        });
        return command;
    }
}
