using ControlPlane.Domain.Capacity;
using ControlPlane.Domain.DisasterRecovery;
using ControlPlane.Grains.Abstractions.Billing;
using ControlPlane.Grains.Abstractions.DisasterRecovery;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Tenants;
using ControlPlane.Grains.Access;
using ControlPlane.Grains.Operations;

namespace ControlPlane.Grains.Instances;

/// <summary>
/// DeleteInstance: claims the instance (one that a service runs on is refused); the agent deletes it,
/// then its server, record and quota are released, its metering ends and so does its protection.
/// If the agent fails for good, the instance is given back as it was.
/// </summary>
public sealed class DeleteInstanceWorkflow : InstanceWorkflow, IOperationWorkflow<DeleteInstanceCommand>, IOperationCheck<DeleteInstanceCommand>
{
    public override OperationKind Kind => OperationKind.DeleteInstance;

    public async Task<OperationDraft?> StartAsync(OperationContext context, DeleteInstanceCommand command)
    {
        await Guard.TenantOfAsync(context.Grains, () => context.Grains.TenantOfInstanceAsync(command.InstanceId));
        if (await context.BindAsync(command.Fingerprint, () => Task.CompletedTask)) return null;
        var now = context.Now;
        var record = await context.Grains.GetGrain<IInstanceGrain>(command.InstanceId).GetAsync();
        // An unknown instance is drafted with no tenant: admission refuses it, and a retry gets the same refusal.
        var tenantId = record?.TenantId ?? "";
        return new OperationDraft(
            context.NewOperation(Kind, command.RequestId, command.InstanceId, tenantId, now),
            new InstanceInfo(command.InstanceId, tenantId, "", "", ResourceAmount.Zero, "", "", "", InstanceState.Deleting, now, now)
            {
                ServiceId = record?.ServiceId ?? "",
            },
            "");
    }

    public override async Task<InstanceInfo?> AdmitAsync(OperationContext context, bool resuming)
    {
        var instance = context.Instance;
        EnsureDeletable(instance.Id, instance.TenantId, instance.ServiceId);
        return await context.Grains.GetGrain<IInstanceGrain>(instance.Id).BeginDeleteAsync(context.Operation.Id);
    }

    /// <summary>The start's and admission's checks: the caller, the request_id, an instance no service runs on and no operation holds.</summary>
    public async Task<OperationPreview> CheckAsync(OperationContext context, DeleteInstanceCommand command)
    {
        await Guard.TenantOfAsync(context.Grains, () => context.Grains.TenantOfInstanceAsync(command.InstanceId));
        if (await context.IsBoundAsync(command.Fingerprint)) return context.Preview(Kind, command.RequestId, "");
        var record = context.Grains.GetGrain<IInstanceGrain>(command.InstanceId);
        var instance = await record.GetAsync();
        EnsureDeletable(command.InstanceId, instance?.TenantId ?? "", instance?.ServiceId ?? "");
        await record.CheckDeleteAsync();
        return context.Preview(Kind, command.RequestId, instance!.TenantId, command.InstanceId);
    }

    /// <summary>An instance that exists (a tenant owns it) and that no service runs on.</summary>
    private static void EnsureDeletable(string instanceId, string tenantId, string serviceId)
    {
        if (tenantId.Length == 0) throw Failures.InstanceNotFound(instanceId);
        if (serviceId.Length > 0)
        {
            throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.InstanceOwnedByService,
                $"instance '{instanceId}' runs service '{serviceId}': cancel the service (Services.CancelService) instead",
                (ErrorMetadata.InstanceId, instanceId), (ErrorMetadata.ServiceId, serviceId)).ToException();
        }
    }

    protected override async Task RunAsync(OperationContext context, InstanceInfo instance)
    {
        await InstanceSteps.DeleteAsync(context, instance);
        await context.Grains.GetGrain<IMeteringGrain>(instance.TenantId).EndAsync(instance.Id, context.Now);
        if (instance.DrProtected)
        {
            await context.Grains.GetGrain<IDisasterRecoveryGrain>(ProtectionRegion.Of(instance.Region, instance.HomeRegion))
                .UnprotectAsync(instance.Id, deleted: true);
        }
    }

    protected override Task UndoAsync(OperationContext context, InstanceInfo instance, string message) =>
        context.Grains.GetGrain<IInstanceGrain>(instance.Id).AbandonDeleteAsync(context.Operation.Id);
}
