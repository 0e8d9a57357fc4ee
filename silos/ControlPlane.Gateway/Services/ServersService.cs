using ControlPlane.Domain.Servers;
using ControlPlane.Gateway.Mapping;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Servers;
using Grpc.Core;
using V1 = ControlPlane.Contracts.V1;

namespace ControlPlane.Gateway.Services;

/// <summary>Server lifecycle: each call goes to the server's grain, the authority on its state.</summary>
public sealed class ServersService(IGrainFactory grains) : V1.Servers.ServersBase
{
    public override Task<V1.Server> CordonServer(V1.ServerRequest request, ServerCallContext context) =>
        Act(request, ServerLifecycleCommand.Cordon, s => s.CordonAsync());

    public override Task<V1.Server> UncordonServer(V1.ServerRequest request, ServerCallContext context) =>
        Act(request, ServerLifecycleCommand.Uncordon, s => s.UncordonAsync());

    public override Task<V1.Server> DrainServer(V1.ServerRequest request, ServerCallContext context) =>
        Act(request, ServerLifecycleCommand.Drain, s => s.DrainAsync());

    public override Task<V1.Server> MarkServerFailed(V1.MarkServerFailedRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(("reason", request.Reason.Length > 200 ? "reason must be at most 200 characters" : null));
        return Act(request.Id, request.ValidateOnly, ServerLifecycleCommand.MarkFailed, request.Reason, s => s.MarkFailedAsync(request.Reason));
    }

    public override Task<V1.Server> DecommissionServer(V1.ServerRequest request, ServerCallContext context) =>
        Act(request, ServerLifecycleCommand.Decommission, s => s.DecommissionAsync());

    public override Task<V1.Server> CommissionServer(V1.ServerRequest request, ServerCallContext context) =>
        Act(request, ServerLifecycleCommand.Commission, s => s.CommissionAsync());

    private Task<V1.Server> Act(V1.ServerRequest request, ServerLifecycleCommand command, Func<IServerGrain, Task<ServerDetails>> action) =>
        Act(request.Id, request.ValidateOnly, command, "", action);

    /// <summary>The command, or with <paramref name="validateOnly"/> its dry run: the same checks, nothing changed.</summary>
    private async Task<V1.Server> Act(string id, bool validateOnly, ServerLifecycleCommand command, string reason, Func<IServerGrain, Task<ServerDetails>> action)
    {
        Validate.ThrowIfAny(("id", Validate.Id("id", id)));
        var server = grains.GetGrain<IServerGrain>(id);
        return (await (validateOnly ? server.CheckAsync(command, reason) : action(server))).ToProto();
    }
}
