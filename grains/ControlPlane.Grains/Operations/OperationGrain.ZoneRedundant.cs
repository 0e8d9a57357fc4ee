using System.Collections.Immutable;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Regions;
using ControlPlane.Grains.Abstractions.Scheduling;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Abstractions.Tenants;
using ControlPlane.Grains.Abstractions.Zones;
using ControlPlane.Grains.Access;

namespace ControlPlane.Grains.Operations;

/// <summary>
/// A zone-redundant create: N instances in N distinct zones, all or none. The members share a
/// zone-scoped anti-affinity group (the set's name), so the zones keep them apart now and when they
/// are moved later. Admission holds every member's quota and capacity or gives all of it back; if
/// an agent fails for good on one member, every member is rolled back.
/// </summary>
public sealed partial class OperationGrain
{
    public async Task<OperationInfo> StartZoneRedundantAsync(CreateZoneRedundantCommand command)
    {
        await Guard.TenantAsync(GrainFactory, command.TenantId, write: true);
        InstanceSize? size = null;
        var resuming = await BindAsync(command.Fingerprint, async () =>
        {
            await sync.EnsureKnownAsync(command.Region);
            size = validator.Validate(command);
        });
        if (!resuming)
        {
            ImmutableArray<string> instanceIds = [.. Enumerable.Range(0, command.Count).Select(_ => NewId("i-"))];
            var now = clock.GetUtcNow();
            state.State.Members = [.. instanceIds.Select((id, i) => new InstanceInfo(id, command.TenantId, command.MemberName(i), size!.Name, size.Resources,
                command.Region, "", "", InstanceState.Provisioning, now, now, this.GetPrimaryKeyString())
            {
                AntiAffinityGroup = command.Name,
                AntiAffinityScope = AntiAffinityScope.Zone,
            })];
            await BeginAsync(
                new OperationInfo(this.GetPrimaryKeyString(), command.RequestId, OperationKind.CreateZoneRedundantInstances,
                    OperationState.Pending, instanceIds[0], command.TenantId, null, now, now, null, false, CurrentTraceId())
                {
                    InstanceIds = instanceIds,
                },
                state.State.Members[0], size!.GpuModel);
        }
        return await AcknowledgeAsync(resuming);
    }

    /// <summary>Admits and places every member, each in its own zone; any refusal refuses the set (the caller undoes the rest).</summary>
    private async Task<InstanceInfo> AdmitZoneRedundantAsync(bool resuming)
    {
        var members = state.State.Members;
        await AdmitOfferAsync(members[0].Size, members[0].Region);
        for (var i = 0; i < members.Count; i++)
        {
            var member = members[i];
            await GrainFactory.GetGrain<ITenantGrain>(member.TenantId).AdmitInstanceAsync(member.Id, member.Name, member.Region, member.Resources);
            var record = GrainFactory.GetGrain<IInstanceGrain>(member.Id);
            await record.CreateAsync(member);
            var region = GrainFactory.GetGrain<IRegionGrain>(member.Region);
            // Zones are taken in one order (by id) by every set, as locks are: concurrent sets never each
            // hold a zone that another needs, so contention refuses whole sets early instead of all of them.
            var zones = topology.FindRegion(member.Region)!.Zones.Where(z => z.State == ZoneState.Active).Select(z => z.Id).Order(StringComparer.Ordinal).ToList();
            var refusals = new List<(string Key, string Value)>();
            var placement = resuming ? await region.FindAsync(member.Id) : null;
            for (var z = i == 0 ? 0 : zones.IndexOf(members[i - 1].Zone) + 1; placement is null && z <= zones.Count - (members.Count - i); z++)
            {
                try
                {
                    placement = await region.PlaceAsync(new PlacementRequest(member.Id, member.TenantId, member.Size, member.Resources,
                        state.State.GpuModel, zones[z], AntiAffinityGroup: member.AntiAffinityKey, AntiAffinityZones: true));
                }
                catch (ControlPlaneException e) when (e.Error.Reason == ErrorReasons.NoCapacity)
                {
                    refusals.Add(($"zone.{zones[z]}", e.Error.Message));
                }
            }
            if (placement is null)
            {
                throw DomainError.Of(ErrorStatus.ResourceExhausted, ErrorReasons.NoCapacity,
                    $"a zone-redundant set of {members.Count} needs {members.Count} zones of region '{member.Region}' with room for " +
                    $"{member.Size}; only {i} were found, so none was created",
                    [("region", member.Region), ("size", member.Size), ("placed_before_refusal", i.ToString()), .. refusals]).ToException();
            }
            members[i] = await record.UpdateAsync(placement.Zone, placement.ServerId, InstanceState.Provisioning);
        }
        return members[0];
    }

    /// <summary>Every member's agent builds it; if one fails for good, the whole set is given back.</summary>
    private async Task CompleteZoneRedundantAsync()
    {
        var members = state.State.Members;
        if (await BuildMembersAsync() is { } failure)
        {
            foreach (var member in members) await ForgetInstanceAsync(member);
            await FinishAsync(SetRolledBack(failure), rejected: false);
            return;
        }
        for (var i = 0; i < members.Count; i++)
        {
            members[i] = await GrainFactory.GetGrain<IInstanceGrain>(members[i].Id).UpdateAsync(members[i].Zone, members[i].ServerId, InstanceState.Running);
            await StartMeteringAsync(members[i]);
        }
        state.State.Instance = members[0];
        await FinishAsync(null, rejected: false);
    }

    /// <summary>Has every member's agent build it, all at once; returns the first that failed for good, if any.</summary>
    private async Task<(InstanceInfo Member, Exception Error)?> BuildMembersAsync()
    {
        var outcomes = await Task.WhenAll(state.State.Members.Select(async member =>
        {
            try
            {
                await CallAgentAsync("agent.create_instance", member.ServerId, ct => agents.CreateInstanceAsync(member.ServerId, member, "", ct));
                return ((InstanceInfo Member, Exception Error)?)null;
            }
            catch (Exception e) when (e is not ControlPlaneException and not OrleansException and not TimeoutException)
            {
                return (member, e);
            }
        }));
        if (outcomes.FirstOrDefault(o => o is not null) is not { } failure) return null;
        LogAgentFailed(logger, failure.Error, Operation.Id, failure.Member.Id, failure.Member.ServerId);
        GrainFactory.GetGrain<IServerGrain>(failure.Member.ServerId).ReportAgentFailureAsync(failure.Error.Message).Ignore();
        // Copies the other agents built become strays once forgotten: their servers' reconciliation deletes them.
        return failure;
    }

    private DomainError SetRolledBack((InstanceInfo Member, Exception Error) failure) =>
        DomainError.Of(ErrorStatus.Unavailable, ErrorReasons.Unavailable,
            $"the agent of server '{failure.Member.ServerId}' failed for instance '{failure.Member.Id}': {failure.Error.Message}; the whole set was rolled back",
            ("operation_id", Operation.Id), ("server_id", failure.Member.ServerId));

    private async Task ForgetMembersAsync()
    {
        foreach (var member in state.State.Members) await ForgetInstanceAsync(member);
    }
}
