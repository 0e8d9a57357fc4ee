using System.Collections.Immutable;
using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Catalogue;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Regions;
using ControlPlane.Grains.Abstractions.Scheduling;
using ControlPlane.Grains.Abstractions.Tenants;
using ControlPlane.Grains.Access;
using ControlPlane.Grains.Catalogue;
using ControlPlane.Grains.Operations;
using ControlPlane.Grains.Topology;

namespace ControlPlane.Grains.Instances;

/// <summary>
/// CreateZoneRedundantInstances: N instances in N distinct zones, all or none. The members share a
/// zone-scoped anti-affinity group (the set's name), so the zones keep them apart now and when they
/// are moved later. Admission holds every member's quota and capacity or gives all of it back; if
/// an agent fails for good on one member, every member is rolled back.
/// </summary>
public sealed class ZoneRedundantWorkflow(TopologySync sync, CreateInstanceValidator validator, PlatformTopology topology, OfferCatalogue offers)
    : IOperationWorkflow<CreateZoneRedundantCommand>, IOperationCheck<CreateZoneRedundantCommand>
{
    public OperationKind Kind => OperationKind.CreateZoneRedundantInstances;

    public async Task<OperationDraft?> StartAsync(OperationContext context, CreateZoneRedundantCommand command)
    {
        await Guard.TenantAsync(context.Grains, command.TenantId, write: true);
        InstanceSize? size = null;
        var resuming = await context.BindAsync(command.Fingerprint, async () =>
        {
            await sync.EnsureKnownAsync(command.Region);
            size = validator.Validate(command);
        });
        if (resuming) return null;
        context.State.Members = NewMembers(context, command, size!);
        return new OperationDraft(
            context.NewOperation(Kind, command.RequestId, context.State.Members[0].Id, command.TenantId, context.State.Members[0].CreateTime)
                with { InstanceIds = [.. context.State.Members.Select(m => m.Id)] },
            context.State.Members[0], size!.GpuModel);
    }

    /// <summary>The start's and admission's checks in their order — caller, request_id, request, offer, tenant (every member), a zone per member — holding nothing.</summary>
    public async Task<OperationPreview> CheckAsync(OperationContext context, CreateZoneRedundantCommand command)
    {
        await Guard.TenantAsync(context.Grains, command.TenantId, write: true);
        if (await context.IsBoundAsync(command.Fingerprint)) return context.Preview(Kind, command.RequestId, command.TenantId);
        await sync.EnsureKnownAsync(command.Region);
        var size = validator.Validate(command);
        var members = NewMembers(context, command, size);
        await context.Grains.GetGrain<IOfferGrain>(offers.OfferForSize(size.Name)).AdmitOrderAsync(command.Region);
        await context.Grains.GetGrain<ITenantGrain>(command.TenantId).CheckInstancesAsync(command.Region, [.. members.Select(m => new TenantInstance(m.Name, m.Resources))]);
        for (var i = 0; i < members.Count; i++)
        {
            var placement = await PlaceAsync(context.Grains, members, i, size.GpuModel, resuming: false, (region, request) => region.CheckPlacementAsync(request));
            members[i] = members[i] with { Zone = placement.Zone };
        }
        return context.Preview(Kind, command.RequestId, command.TenantId, zones: [.. members.Select(m => m.Zone)]);
    }

    private static List<InstanceInfo> NewMembers(OperationContext context, CreateZoneRedundantCommand command, InstanceSize size)
    {
        var now = context.Now;
        return [.. Enumerable.Range(0, command.Count).Select(i => new InstanceInfo(OperationContext.NewId("i-"), command.TenantId, command.MemberName(i),
            size.Name, size.Resources, command.Region, "", "", InstanceState.Provisioning, now, now, context.OperationId)
        {
            AntiAffinityGroup = command.Name,
            AntiAffinityScope = AntiAffinityScope.Zone,
        })];
    }

    /// <summary>Admits and places every member, each in its own zone; any refusal refuses the set (<see cref="RefuseAsync"/> undoes the rest).</summary>
    public async Task<InstanceInfo?> AdmitAsync(OperationContext context, bool resuming)
    {
        var members = context.State.Members;
        await context.Grains.GetGrain<IOfferGrain>(offers.OfferForSize(members[0].Size)).AdmitOrderAsync(members[0].Region);
        for (var i = 0; i < members.Count; i++)
        {
            var record = await InstanceSteps.HoldAsync(context, members[i]);
            var placement = await PlaceAsync(context.Grains, members, i, context.State.GpuModel, resuming, (region, request) => region.PlaceAsync(request));
            members[i] = await record.UpdateAsync(placement.Zone, placement.ServerId, InstanceState.Provisioning);
        }
        return members[0];
    }

    public Task RefuseAsync(OperationContext context, DomainError refusal) => InstanceSet.ForgetAsync(context);

    /// <summary>Every member's agent builds it; if one fails for good, the whole set is given back.</summary>
    public async Task<DomainError?> CompleteAsync(OperationContext context)
    {
        var members = context.State.Members;
        if (await InstanceSet.BuildAsync(context) is { } failure)
        {
            await InstanceSet.ForgetAsync(context);
            return InstanceSet.RolledBack(context, failure);
        }
        for (var i = 0; i < members.Count; i++)
        {
            members[i] = await context.Grains.GetGrain<IInstanceGrain>(members[i].Id).UpdateAsync(members[i].Zone, members[i].ServerId, InstanceState.Running);
            await InstanceSteps.StartMeteringAsync(context, offers.OfferForSize(members[i].Size), members[i]);
        }
        context.State.Instance = members[0];
        return null;
    }

    /// <summary>
    /// Member <paramref name="index"/> in a zone after the previous member's, leaving enough zones for the members after it;
    /// <paramref name="place"/> places it (or, for a dry run, finds where it would go). Resuming, a placement already made is found again.
    /// </summary>
    private async Task<Placement> PlaceAsync(IGrainFactory grains, IReadOnlyList<InstanceInfo> members, int index, string gpuModel, bool resuming,
        Func<IRegionGrain, PlacementRequest, Task<Placement>> place)
    {
        var member = members[index];
        var region = grains.GetGrain<IRegionGrain>(member.Region);
        // Zones are taken in one order (by id) by every set, as locks are: concurrent sets never each
        // hold a zone that another needs, so contention refuses whole sets early instead of all of them.
        var zones = topology.FindRegion(member.Region)!.ActiveZones.Select(z => z.Id).Order(StringComparer.Ordinal).ToList();
        var refusals = new List<(string Key, string Value)>();
        var placement = resuming ? await region.FindAsync(member.Id) : null;
        for (var z = index == 0 ? 0 : zones.IndexOf(members[index - 1].Zone) + 1; placement is null && z <= zones.Count - (members.Count - index); z++)
        {
            try
            {
                placement = await place(region, new PlacementRequest(member.Id, member.TenantId, member.Size, member.Resources,
                    gpuModel, zones[z], AntiAffinityGroup: member.AntiAffinityKey, AntiAffinityZones: true));
            }
            catch (ControlPlaneException e) when (e.Error.Reason == ErrorReasons.NoCapacity)
            {
                refusals.Add((ErrorMetadata.ZoneRefusal(zones[z]), e.Error.Message));
            }
        }
        return placement ?? throw DomainError.Of(ErrorStatus.ResourceExhausted, ErrorReasons.NoCapacity,
            $"a zone-redundant set of {members.Count} needs {members.Count} zones of region '{member.Region}' with room for " +
            $"{member.Size}; only {index} were found, so none was created",
            [(ErrorMetadata.Region, member.Region), (ErrorMetadata.Size, member.Size), (ErrorMetadata.PlacedBeforeRefusal, index.ToString()), .. refusals]).ToException();
    }
}
