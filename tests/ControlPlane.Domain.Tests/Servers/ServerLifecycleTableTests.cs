using ControlPlane.Domain.Servers;
using static ControlPlane.Domain.Servers.ServerLifecycle;
using static ControlPlane.Domain.Servers.ServerLifecycleCommand;

namespace ControlPlane.Domain.Tests.Servers;

/// <summary>The server lifecycle table, every command from every state, without a cluster.</summary>
public sealed class ServerLifecycleTableTests
{
    [Theory]
    [InlineData(Cordon, Active, "-> Cordoned")]
    [InlineData(Cordon, Cordoned, "unchanged")]
    [InlineData(Cordon, Draining, "unchanged")]
    [InlineData(Cordon, Drained, "unchanged")]
    [InlineData(Cordon, Failed, "cannot be cordoned: commission it first")]
    [InlineData(Cordon, Decommissioned, "cannot be cordoned: commission it first")]
    [InlineData(Uncordon, Active, "unchanged")]
    [InlineData(Uncordon, Cordoned, "-> Active")]
    [InlineData(Uncordon, Draining, "-> Active")]
    [InlineData(Uncordon, Drained, "-> Active")]
    [InlineData(Uncordon, Failed, "cannot be uncordoned: commission it instead")]
    [InlineData(Uncordon, Decommissioned, "cannot be uncordoned: commission it instead")]
    [InlineData(Drain, Active, "-> Draining")]
    [InlineData(Drain, Cordoned, "-> Draining")]
    [InlineData(Drain, Draining, "unchanged")]
    [InlineData(Drain, Drained, "unchanged")]
    [InlineData(Drain, Failed, "cannot be drained: its instances are already re-created elsewhere or it is out of service")]
    [InlineData(Drain, Decommissioned, "cannot be drained: its instances are already re-created elsewhere or it is out of service")]
    [InlineData(MarkFailed, Active, "-> Failed")]
    [InlineData(MarkFailed, Cordoned, "-> Failed")]
    [InlineData(MarkFailed, Draining, "-> Failed")]
    [InlineData(MarkFailed, Drained, "-> Failed")]
    [InlineData(MarkFailed, Failed, "unchanged")]
    [InlineData(MarkFailed, Decommissioned, "cannot be marked failed: it is out of service")]
    [InlineData(Decommission, Active, "cannot be decommissioned: cordon and drain it first")]
    [InlineData(Decommission, Cordoned, "-> Decommissioned once empty")]
    [InlineData(Decommission, Draining, "-> Decommissioned once empty")]
    [InlineData(Decommission, Drained, "-> Decommissioned once empty")]
    [InlineData(Decommission, Failed, "-> Decommissioned once empty")]
    [InlineData(Decommission, Decommissioned, "unchanged")]
    [InlineData(Commission, Active, "unchanged")]
    [InlineData(Commission, Cordoned, "cannot be commissioned: uncordon it instead")]
    [InlineData(Commission, Draining, "cannot be commissioned: uncordon it instead")]
    [InlineData(Commission, Drained, "cannot be commissioned: uncordon it instead")]
    [InlineData(Commission, Failed, "-> Active once empty")]
    [InlineData(Commission, Decommissioned, "-> Active once empty")]
    public void Command_from_state(ServerLifecycleCommand command, ServerLifecycle from, string expected) =>
        Assert.Equal(expected, Describe(ServerLifecycleTable.Decide(command, from)));

    [Fact]
    public void The_table_answers_every_command_from_every_state()
    {
        var pairs = Enum.GetValues<ServerLifecycleCommand>().SelectMany(c => Enum.GetValues<ServerLifecycle>().Select(l => (c, l)));
        Assert.All(pairs, p => Assert.NotNull(ServerLifecycleTable.Decide(p.c, p.l)));
        Assert.Equal(36, pairs.Count());
    }

    [Theory]
    [InlineData(Draining, true, Drained)]
    [InlineData(Draining, false, Draining)]
    [InlineData(Active, true, Active)]
    [InlineData(Cordoned, true, Cordoned)]
    [InlineData(Drained, true, Drained)]
    [InlineData(Failed, true, Failed)]
    public void A_draining_server_left_empty_is_drained(ServerLifecycle lifecycle, bool empty, ServerLifecycle settled) =>
        Assert.Equal(settled, ServerLifecycleTable.Settle(lifecycle, empty));

    [Theory]
    [InlineData(Active, false)]
    [InlineData(Cordoned, false)]
    [InlineData(Draining, true)]
    [InlineData(Drained, false)]
    [InlineData(Failed, true)]
    [InlineData(Decommissioned, false)]
    public void Only_draining_and_failed_servers_are_evacuated(ServerLifecycle lifecycle, bool evacuates) =>
        Assert.Equal(evacuates, ServerLifecycleTable.Evacuates(lifecycle));

    private static string Describe(ServerTransition transition) => transition switch
    {
        { IsRefused: true } => transition.Refusal,
        { To: { } to, RequiresEmpty: true } => $"-> {to} once empty",
        { To: { } to } => $"-> {to}",
        _ => "unchanged",
    };
}
