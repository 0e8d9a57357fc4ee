using System.Collections.Immutable;
using ControlPlane.Domain.Servers;
using ControlPlane.Grains.Abstractions.Billing;
using ControlPlane.Grains.Abstractions.Catalogue;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Regions;
using ControlPlane.Grains.Abstractions.Scheduling;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Abstractions.Services;
using ControlPlane.Grains.Abstractions.Tenants;
using ControlPlane.Grains.Access;

namespace ControlPlane.Grains.Operations;

/// <summary>
/// Orders and cancellations of services. A service runs on the instances of its offer's footprint,
/// each on its own server (an anti-affinity group named after the service), all or none, like a
/// zone-redundant set; the service, not its instances, is metered. A cancellation ends the
/// metering when it is admitted, then deletes the instances.
/// </summary>
public sealed partial class OperationGrain
{
    public async Task<OperationInfo> StartOrderServiceAsync(OrderServiceCommand command)
    {
        await Guard.TenantAsync(GrainFactory, command.TenantId, write: true);
        OfferInfo? offer = null;
        var resuming = await BindAsync(command.Fingerprint, () =>
        {
            offer = orders.Validate(command);
            return Task.CompletedTask;
        });
        if (!resuming)
        {
            var now = clock.GetUtcNow();
            var serviceId = NewId("svc-");
            var footprint = offer!.Footprint.SelectMany(f => Enumerable.Repeat(f.Size, f.Count)).ToList();
            ImmutableArray<string> instanceIds = [.. footprint.Select(_ => NewId("i-"))];
            state.State.Members = [.. footprint.Select((sizeName, i) =>
            {
                var size = sizes.Find(sizeName) ?? throw new InvalidOperationException($"footprint size '{sizeName}' was validated but is gone");
                return new InstanceInfo(instanceIds[i], command.TenantId, command.MemberName(i), size.Name, size.Resources,
                    command.Region, "", "", InstanceState.Provisioning, now, now, this.GetPrimaryKeyString())
                {
                    AntiAffinityGroup = serviceId,
                    AntiAffinityScope = AntiAffinityScope.Server,
                    ServiceId = serviceId,
                };
            })];
            state.State.Service = new ServiceInfo(serviceId, command.TenantId, command.Name, offer.Id, offer.Kind, command.Region,
                command.Seats, ServiceState.Provisioning, instanceIds, now, now, this.GetPrimaryKeyString());
            await BeginAsync(
                new OperationInfo(this.GetPrimaryKeyString(), command.RequestId, OperationKind.OrderService,
                    OperationState.Pending, instanceIds.FirstOrDefault() ?? "", command.TenantId, null, now, now, null, false, CurrentTraceId())
                {
                    InstanceIds = instanceIds,
                    ServiceId = serviceId,
                },
                state.State.Members.FirstOrDefault(), "");
        }
        return await AcknowledgeAsync(resuming);
    }

    public async Task<OperationInfo> StartCancelServiceAsync(CancelServiceCommand command)
    {
        ServiceInfo? service = null;
        var services = GrainFactory.GetGrain<IServiceGrain>(command.ServiceId);
        await Guard.TenantOfAsync(GrainFactory, async () => (service = await services.GetAsync())?.TenantId);
        var resuming = await BindAsync(command.Fingerprint, () => Task.CompletedTask);
        if (!resuming)
        {
            service ??= await services.GetAsync();
            var now = clock.GetUtcNow();
            state.State.Service = service;
            await BeginAsync(
                new OperationInfo(this.GetPrimaryKeyString(), command.RequestId, OperationKind.CancelService,
                    OperationState.Pending, service?.InstanceIds.FirstOrDefault() ?? "", service?.TenantId ?? "", null, now, now, null, false, CurrentTraceId())
                {
                    InstanceIds = service?.InstanceIds ?? [],
                    ServiceId = command.ServiceId,
                },
                null, "");
        }
        return await AcknowledgeAsync(resuming);
    }

    /// <summary>The offer admits the order, the tenant the service and each instance's quota, and every instance gets its own server.</summary>
    private async Task<InstanceInfo?> AdmitOrderServiceAsync(bool resuming)
    {
        var service = state.State.Service!;
        await GrainFactory.GetGrain<IOfferGrain>(service.OfferId).AdmitOrderAsync(service.Region);
        await GrainFactory.GetGrain<ITenantGrain>(service.TenantId).AdmitServiceAsync(service.Id, service.Name, service.Region);
        await GrainFactory.GetGrain<IServiceGrain>(service.Id).CreateAsync(service);
        var members = state.State.Members;
        var region = GrainFactory.GetGrain<IRegionGrain>(service.Region);
        for (var i = 0; i < members.Count; i++)
        {
            var member = members[i];
            await GrainFactory.GetGrain<ITenantGrain>(member.TenantId).AdmitInstanceAsync(member.Id, member.Name, member.Region, member.Resources);
            var record = GrainFactory.GetGrain<IInstanceGrain>(member.Id);
            await record.CreateAsync(member);
            var placement = (resuming ? await region.FindAsync(member.Id) : null) ?? await region.PlaceAsync(
                new PlacementRequest(member.Id, member.TenantId, member.Size, member.Resources, sizes.Find(member.Size)?.GpuModel ?? "", "",
                    AntiAffinityGroup: member.AntiAffinityKey));
            members[i] = await record.UpdateAsync(placement.Zone, placement.ServerId, InstanceState.Provisioning);
        }
        return members.FirstOrDefault();
    }

    /// <summary>Every instance's agent builds it; then the service is active and metered. One failure gives the whole order back.</summary>
    private async Task CompleteOrderServiceAsync()
    {
        var members = state.State.Members;
        if (await BuildMembersAsync() is { } failure)
        {
            await ForgetServiceAsync();
            await FinishAsync(SetRolledBack(failure), rejected: false);
            return;
        }
        for (var i = 0; i < members.Count; i++)
        {
            members[i] = await GrainFactory.GetGrain<IInstanceGrain>(members[i].Id).UpdateAsync(members[i].Zone, members[i].ServerId, InstanceState.Running);
        }
        var service = await GrainFactory.GetGrain<IServiceGrain>(state.State.Service!.Id).ActivateAsync();
        state.State.Service = service;
        await GrainFactory.GetGrain<IMeteringGrain>(service.TenantId).StartAsync(
            new UsageRecord(service.UsageId, service.OfferId, service.Region, clock.GetUtcNow(), null) { Seats = Math.Max(1, service.Seats) });
        state.State.Instance = members.FirstOrDefault();
        await FinishAsync(null, rejected: false);
    }

    /// <summary>
    /// Claims the service's instances for deletion (all, or none: a moving instance refuses the
    /// cancellation until it has landed), marks the service cancelling and ends its metering.
    /// </summary>
    private async Task<InstanceInfo?> AdmitCancelServiceAsync()
    {
        var serviceId = Operation.ServiceId;
        var current = state.State.Service is null ? null : await GrainFactory.GetGrain<IServiceGrain>(serviceId).GetAsync();
        if (current is null) throw Failures.ServiceNotFound(serviceId);
        var records = await Task.WhenAll(current.InstanceIds.Select(id => GrainFactory.GetGrain<IInstanceGrain>(id).GetAsync()));
        var claimed = new List<InstanceInfo>();
        if (current.State is ServiceState.Active or ServiceState.Cancelling)
        {
            try
            {
                foreach (var record in records.OfType<InstanceInfo>())
                {
                    claimed.Add(await GrainFactory.GetGrain<IInstanceGrain>(record.Id).BeginDeleteAsync(Operation.Id));
                }
            }
            catch (ControlPlaneException)
            {
                foreach (var member in claimed) await GrainFactory.GetGrain<IInstanceGrain>(member.Id).AbandonDeleteAsync(Operation.Id);
                throw;
            }
        }
        var service = await GrainFactory.GetGrain<IServiceGrain>(serviceId).BeginCancelAsync(Operation.Id);
        await GrainFactory.GetGrain<IMeteringGrain>(service.TenantId).EndAsync(service.UsageId, clock.GetUtcNow());
        state.State.Service = service;
        state.State.Members = claimed;
        return claimed.FirstOrDefault();
    }

    /// <summary>Deletes every instance of the service; one whose agent fails for good stays, and the service stays cancelling, for a new cancellation.</summary>
    private async Task CompleteCancelServiceAsync()
    {
        var outcomes = await Task.WhenAll(state.State.Members.Select(async member =>
        {
            try
            {
                var server = await GrainFactory.GetGrain<IServerGrain>(member.ServerId).GetUsageAsync();
                if (server.Lifecycle != ServerLifecycle.Failed)
                {
                    await CallAgentAsync("agent.delete_instance", member.ServerId, ct => agents.DeleteInstanceAsync(member.ServerId, member.Id, ct));
                }
                await ForgetInstanceAsync(member);
                return ((InstanceInfo Member, Exception Error)?)null;
            }
            catch (Exception e) when (e is not ControlPlaneException and not OrleansException and not TimeoutException)
            {
                return (member, e);
            }
        }));
        if (outcomes.FirstOrDefault(o => o is not null) is { } failure)
        {
            LogAgentFailed(logger, failure.Error, Operation.Id, failure.Member.Id, failure.Member.ServerId);
            foreach (var left in outcomes.OfType<(InstanceInfo Member, Exception Error)>())
            {
                await GrainFactory.GetGrain<IInstanceGrain>(left.Member.Id).AbandonDeleteAsync(Operation.Id);
            }
            await FinishAsync(DomainError.Of(ErrorStatus.Unavailable, ErrorReasons.Unavailable,
                $"the agent of server '{failure.Member.ServerId}' failed to delete instance '{failure.Member.Id}': {failure.Error.Message}; " +
                $"service '{Operation.ServiceId}' stays cancelling (not metered): cancel it again to delete what is left",
                ("operation_id", Operation.Id), ("service_id", Operation.ServiceId), ("server_id", failure.Member.ServerId)), rejected: false);
            return;
        }
        var service = await GrainFactory.GetGrain<IServiceGrain>(Operation.ServiceId).CompleteCancelAsync();
        await GrainFactory.GetGrain<ITenantGrain>(service.TenantId).ReleaseServiceAsync(service.Id);
        state.State.Service = service;
        await FinishAsync(null, rejected: false);
    }

    /// <summary>Gives back everything an order held: its instances, its record, its name. Idempotent.</summary>
    private async Task ForgetServiceAsync()
    {
        await ForgetMembersAsync();
        if (state.State.Service is not { } service) return;
        await GrainFactory.GetGrain<IServiceGrain>(service.Id).RemoveAsync();
        await GrainFactory.GetGrain<ITenantGrain>(service.TenantId).ReleaseServiceAsync(service.Id);
    }
}
