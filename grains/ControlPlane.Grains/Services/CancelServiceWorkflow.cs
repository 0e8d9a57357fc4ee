using ControlPlane.Grains.Abstractions.Billing;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Services;
using ControlPlane.Grains.Abstractions.Tenants;
using ControlPlane.Grains.Access;
using ControlPlane.Grains.Instances;
using ControlPlane.Grains.Operations;

namespace ControlPlane.Grains.Services;

/// <summary>
/// CancelService: the service's metering ends when the cancellation is admitted, then its instances
/// are deleted. An instance whose agent fails for good stays, and so does the service, cancelling,
/// for a new cancellation to finish.
/// </summary>
public sealed class CancelServiceWorkflow : IOperationWorkflow<CancelServiceCommand>, IOperationCheck<CancelServiceCommand>
{
    public OperationKind Kind => OperationKind.CancelService;

    public async Task<OperationDraft?> StartAsync(OperationContext context, CancelServiceCommand command)
    {
        await Guard.TenantOfAsync(context.Grains, () => context.Grains.TenantOfServiceAsync(command.ServiceId));
        if (await context.BindAsync(command.Fingerprint, () => Task.CompletedTask)) return null;
        var service = await context.Grains.GetGrain<IServiceGrain>(command.ServiceId).GetAsync();
        var now = context.Now;
        context.State.Service = service;
        return new OperationDraft(
            context.NewOperation(Kind, command.RequestId, service?.InstanceIds.FirstOrDefault() ?? "", service?.TenantId ?? "", now)
                with { InstanceIds = service?.InstanceIds ?? [], ServiceId = command.ServiceId },
            null, "");
    }

    /// <summary>
    /// The start's and admission's checks: the caller, the request_id, a service that exists, each of its instances free
    /// to be deleted (none held by another operation) and a service active or cancelling. Claims and marks nothing.
    /// </summary>
    public async Task<OperationPreview> CheckAsync(OperationContext context, CancelServiceCommand command)
    {
        await Guard.TenantOfAsync(context.Grains, () => context.Grains.TenantOfServiceAsync(command.ServiceId));
        if (await context.IsBoundAsync(command.Fingerprint)) return context.Preview(Kind, command.RequestId, "");
        var record = context.Grains.GetGrain<IServiceGrain>(command.ServiceId);
        var service = await record.GetAsync() ?? throw Failures.ServiceNotFound(command.ServiceId);
        if (service.State is ServiceState.Active or ServiceState.Cancelling)
        {
            var instances = await Task.WhenAll(service.InstanceIds.Select(id => context.Grains.GetGrain<IInstanceGrain>(id).GetAsync()));
            foreach (var instance in instances.OfType<InstanceInfo>())
            {
                await context.Grains.GetGrain<IInstanceGrain>(instance.Id).CheckDeleteAsync();
            }
        }
        await record.CheckCancelAsync();
        var preview = context.Preview(Kind, command.RequestId, service.TenantId, service.InstanceIds.FirstOrDefault() ?? "");
        return preview with { Operation = preview.Operation with { InstanceIds = service.InstanceIds, ServiceId = command.ServiceId } };
    }

    /// <summary>
    /// Claims the service's instances for deletion (all, or none: a moving instance refuses the
    /// cancellation until it has landed), marks the service cancelling and ends its metering.
    /// </summary>
    public async Task<InstanceInfo?> AdmitAsync(OperationContext context, bool resuming)
    {
        var serviceId = context.Operation.ServiceId;
        var current = context.State.Service is null ? null : await context.Grains.GetGrain<IServiceGrain>(serviceId).GetAsync();
        if (current is null) throw Failures.ServiceNotFound(serviceId);
        var records = await Task.WhenAll(current.InstanceIds.Select(id => context.Grains.GetGrain<IInstanceGrain>(id).GetAsync()));
        var claimed = new List<InstanceInfo>();
        if (current.State is ServiceState.Active or ServiceState.Cancelling)
        {
            try
            {
                foreach (var record in records.OfType<InstanceInfo>())
                {
                    claimed.Add(await context.Grains.GetGrain<IInstanceGrain>(record.Id).BeginDeleteAsync(context.Operation.Id));
                }
            }
            catch (ControlPlaneException)
            {
                foreach (var member in claimed) await context.Grains.GetGrain<IInstanceGrain>(member.Id).AbandonDeleteAsync(context.Operation.Id);
                throw;
            }
        }
        var service = await context.Grains.GetGrain<IServiceGrain>(serviceId).BeginCancelAsync(context.Operation.Id);
        await context.Grains.GetGrain<IMeteringGrain>(service.TenantId).EndAsync(service.UsageId, context.Now);
        context.State.Service = service;
        context.State.Members = claimed;
        return claimed.FirstOrDefault();
    }

    /// <summary>Admission gave back its own claims before it refused.</summary>
    public Task RefuseAsync(OperationContext context, DomainError refusal) => Task.CompletedTask;

    /// <summary>Deletes every instance of the service, then the service; the tenant may use its name again.</summary>
    public async Task<DomainError?> CompleteAsync(OperationContext context)
    {
        var failures = await InstanceSet.EachAsync(context.State.Members, member => InstanceSteps.DeleteAsync(context, member));
        if (failures.Count > 0)
        {
            var failure = failures[0];
            context.LogAgentFailed(failure.Error, failure.Instance.Id, failure.Instance.ServerId);
            foreach (var left in failures)
            {
                await context.Grains.GetGrain<IInstanceGrain>(left.Instance.Id).AbandonDeleteAsync(context.Operation.Id);
            }
            return DomainError.Of(ErrorStatus.Unavailable, ErrorReasons.Unavailable,
                $"the agent of server '{failure.Instance.ServerId}' failed to delete instance '{failure.Instance.Id}': {failure.Error.Message}; " +
                $"service '{context.Operation.ServiceId}' stays cancelling (not metered): cancel it again to delete what is left",
                (ErrorMetadata.OperationId, context.Operation.Id), (ErrorMetadata.ServiceId, context.Operation.ServiceId), (ErrorMetadata.ServerId, failure.Instance.ServerId));
        }
        var service = await context.Grains.GetGrain<IServiceGrain>(context.Operation.ServiceId).CompleteCancelAsync();
        await context.Grains.GetGrain<ITenantGrain>(service.TenantId).ReleaseServiceAsync(service.Id);
        context.State.Service = service;
        return null;
    }
}
