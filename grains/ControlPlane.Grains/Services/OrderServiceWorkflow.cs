using System.Collections.Immutable;
using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Billing;
using ControlPlane.Grains.Abstractions.Catalogue;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Regions;
using ControlPlane.Grains.Abstractions.Scheduling;
using ControlPlane.Grains.Abstractions.Services;
using ControlPlane.Grains.Abstractions.Tenants;
using ControlPlane.Grains.Access;
using ControlPlane.Grains.Instances;
using ControlPlane.Grains.Operations;

namespace ControlPlane.Grains.Services;

/// <summary>
/// OrderService: a service runs on the instances of its offer's footprint, each on its own server
/// (an anti-affinity group named after the service), all or none, like a zone-redundant set; the
/// service, not its instances, is metered. A refusal, or one agent that fails for good, gives the
/// whole order back.
/// </summary>
public sealed class OrderServiceWorkflow(OrderServiceValidator orders, SizeCatalog sizes)
    : IOperationWorkflow<OrderServiceCommand>, IOperationCheck<OrderServiceCommand>
{
    public OperationKind Kind => OperationKind.OrderService;

    public async Task<OperationDraft?> StartAsync(OperationContext context, OrderServiceCommand command)
    {
        await Guard.TenantAsync(context.Grains, command.TenantId, write: true);
        OfferInfo? offer = null;
        var resuming = await context.BindAsync(command.Fingerprint, () =>
        {
            offer = orders.Validate(command);
            return Task.CompletedTask;
        });
        if (resuming) return null;
        var now = context.Now;
        (context.State.Service, context.State.Members) = NewService(context, command, offer!);
        var (serviceId, instanceIds) = (context.State.Service.Id, context.State.Service.InstanceIds);
        return new OperationDraft(
            context.NewOperation(Kind, command.RequestId, instanceIds.FirstOrDefault() ?? "", command.TenantId, now)
                with { InstanceIds = instanceIds, ServiceId = serviceId },
            context.State.Members.FirstOrDefault(), "");
    }

    /// <summary>
    /// The start's and admission's checks in their order — caller, request_id, request, offer, tenant (the service, then
    /// every instance's quota), a server for each instance — holding nothing. Each instance's server is looked for on
    /// its own: with nothing held, two of them may be answered the same server, which the real order keeps apart.
    /// </summary>
    public async Task<OperationPreview> CheckAsync(OperationContext context, OrderServiceCommand command)
    {
        await Guard.TenantAsync(context.Grains, command.TenantId, write: true);
        if (await context.IsBoundAsync(command.Fingerprint)) return context.Preview(Kind, command.RequestId, command.TenantId);
        var offer = orders.Validate(command);
        var (service, members) = NewService(context, command, offer);
        await context.Grains.GetGrain<IOfferGrain>(service.OfferId).AdmitOrderAsync(service.Region);
        var tenant = context.Grains.GetGrain<ITenantGrain>(service.TenantId);
        await tenant.CheckServiceAsync(service.Name, service.Region);
        await tenant.CheckInstancesAsync(service.Region, [.. members.Select(m => new TenantInstance(m.Name, m.Resources))]);
        var region = context.Grains.GetGrain<IRegionGrain>(service.Region);
        var zones = new List<string>();
        foreach (var member in members) zones.Add((await region.CheckPlacementAsync(PlacementOf(member))).Zone);
        return context.Preview(Kind, command.RequestId, command.TenantId, zones: [.. zones]);
    }

    /// <summary>A new service and its instances, as the start drafts them.</summary>
    private (ServiceInfo Service, List<InstanceInfo> Members) NewService(OperationContext context, OrderServiceCommand command, OfferInfo offer)
    {
        var now = context.Now;
        var serviceId = OperationContext.NewId("svc-");
        var footprint = offer.Footprint.SelectMany(f => Enumerable.Repeat(f.Size, f.Count)).ToList();
        ImmutableArray<string> instanceIds = [.. footprint.Select(_ => OperationContext.NewId("i-"))];
        List<InstanceInfo> members = [.. footprint.Select((sizeName, i) =>
        {
            var size = sizes.Find(sizeName) ?? throw new InvalidOperationException($"footprint size '{sizeName}' was validated but is gone");
            return new InstanceInfo(instanceIds[i], command.TenantId, command.MemberName(i), size.Name, size.Resources,
                command.Region, "", "", InstanceState.Provisioning, now, now, context.OperationId)
            {
                AntiAffinityGroup = serviceId,
                AntiAffinityScope = AntiAffinityScope.Server,
                ServiceId = serviceId,
            };
        })];
        return (new ServiceInfo(serviceId, command.TenantId, command.Name, offer.Id, offer.Kind, command.Region,
            command.Seats, ServiceState.Provisioning, instanceIds, now, now, context.OperationId), members);
    }

    private PlacementRequest PlacementOf(InstanceInfo member) =>
        new(member.Id, member.TenantId, member.Size, member.Resources, sizes.Find(member.Size)?.GpuModel ?? "", "", AntiAffinityGroup: member.AntiAffinityKey);

    /// <summary>The offer admits the order, the tenant the service and each instance's quota, and every instance gets its own server.</summary>
    public async Task<InstanceInfo?> AdmitAsync(OperationContext context, bool resuming)
    {
        var service = context.State.Service!;
        await context.Grains.GetGrain<IOfferGrain>(service.OfferId).AdmitOrderAsync(service.Region);
        await context.Grains.GetGrain<ITenantGrain>(service.TenantId).AdmitServiceAsync(service.Id, service.Name, service.Region);
        await context.Grains.GetGrain<IServiceGrain>(service.Id).CreateAsync(service);
        var members = context.State.Members;
        var region = context.Grains.GetGrain<IRegionGrain>(service.Region);
        for (var i = 0; i < members.Count; i++)
        {
            var member = members[i];
            var record = await InstanceSteps.HoldAsync(context, member);
            var placement = (resuming ? await region.FindAsync(member.Id) : null) ?? await region.PlaceAsync(PlacementOf(member));
            members[i] = await record.UpdateAsync(placement.Zone, placement.ServerId, InstanceState.Provisioning);
        }
        return members.FirstOrDefault();
    }

    public Task RefuseAsync(OperationContext context, DomainError refusal) => ForgetAsync(context);

    /// <summary>Every instance's agent builds it; then the service is active and metered.</summary>
    public async Task<DomainError?> CompleteAsync(OperationContext context)
    {
        var members = context.State.Members;
        if (await InstanceSet.BuildAsync(context) is { } failure)
        {
            await ForgetAsync(context);
            return InstanceSet.RolledBack(context, failure);
        }
        for (var i = 0; i < members.Count; i++)
        {
            members[i] = await context.Grains.GetGrain<IInstanceGrain>(members[i].Id).UpdateAsync(members[i].Zone, members[i].ServerId, InstanceState.Running);
        }
        var service = await context.Grains.GetGrain<IServiceGrain>(context.State.Service!.Id).ActivateAsync();
        context.State.Service = service;
        await context.Grains.GetGrain<IMeteringGrain>(service.TenantId).StartAsync(
            new UsageRecord(service.UsageId, service.OfferId, service.Region, context.Now, null) { Seats = Math.Max(1, service.Seats) });
        context.State.Instance = members.FirstOrDefault();
        return null;
    }

    /// <summary>Gives back everything an order held: its instances, its record, its name. Idempotent.</summary>
    private static async Task ForgetAsync(OperationContext context)
    {
        await InstanceSet.ForgetAsync(context);
        if (context.State.Service is not { } service) return;
        await context.Grains.GetGrain<IServiceGrain>(service.Id).RemoveAsync();
        await context.Grains.GetGrain<ITenantGrain>(service.TenantId).ReleaseServiceAsync(service.Id);
    }
}
