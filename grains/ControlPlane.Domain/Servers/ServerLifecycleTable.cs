using static ControlPlane.Domain.Servers.ServerLifecycle;

namespace ControlPlane.Domain.Servers;

/// <summary>
/// Which lifecycle state a server may go to from which, on which command, and why the others are refused.
/// Cordon, uncordon and drain move a server in service; only commissioning brings back one that failed or
/// was decommissioned, and a server leaves service for good only once cordoned and empty.
/// </summary>
public static class ServerLifecycleTable
{
    public static ServerTransition Decide(ServerLifecycleCommand command, ServerLifecycle from) => command switch
    {
        ServerLifecycleCommand.Cordon => from switch
        {
            Active => ServerTransition.Change(Cordoned),
            Cordoned or Draining or Drained => ServerTransition.Unchanged,
            _ => ServerTransition.Refuse("cordoned", "commission it first"),
        },
        ServerLifecycleCommand.Uncordon => from switch
        {
            Active => ServerTransition.Unchanged,
            Cordoned or Draining or Drained => ServerTransition.Change(Active),
            _ => ServerTransition.Refuse("uncordoned", "commission it instead"),
        },
        ServerLifecycleCommand.Drain => from switch
        {
            Draining or Drained => ServerTransition.Unchanged,
            Active or Cordoned => ServerTransition.Change(Draining),
            _ => ServerTransition.Refuse("drained", "its instances are already re-created elsewhere or it is out of service"),
        },
        ServerLifecycleCommand.MarkFailed => from switch
        {
            Failed => ServerTransition.Unchanged,
            Decommissioned => ServerTransition.Refuse("marked failed", "it is out of service"),
            _ => ServerTransition.Change(Failed),
        },
        ServerLifecycleCommand.Decommission => from switch
        {
            Decommissioned => ServerTransition.Unchanged,
            Active => ServerTransition.Refuse("decommissioned", "cordon and drain it first"),
            _ => ServerTransition.Change(Decommissioned, requiresEmpty: true),
        },
        ServerLifecycleCommand.Commission => from switch
        {
            Active => ServerTransition.Unchanged,
            Decommissioned or Failed => ServerTransition.Change(Active, requiresEmpty: true),
            _ => ServerTransition.Refuse("commissioned", "uncordon it instead"),
        },
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "unknown server lifecycle command"),
    };

    /// <summary>A draining server that holds no instance any more is drained; any other state stays as it is.</summary>
    public static ServerLifecycle Settle(ServerLifecycle lifecycle, bool empty) =>
        lifecycle == Draining && empty ? Drained : lifecycle;

    /// <summary>Whether the server's instances are to be moved away: live when draining, re-created when failed.</summary>
    public static bool Evacuates(ServerLifecycle lifecycle) => lifecycle is Draining or Failed;
}
