using ControlPlane.Telemetry;
using ControlPlane.Errors;
using ControlPlane.Model;
using ControlPlane.Topology;

namespace ControlPlane.Grains;

/// <summary>
/// A tenant: the authority on its quota, its usage and its instance records. Usage is always the
/// sum of the instances it holds, so it cannot drift from them.
/// </summary>
public sealed class TenantGrain(
    PlatformTopology topology,
    TimeProvider clock,
    [PersistentState("tenant", StorageNames.State)] IPersistentState<TenantState> state) : Grain, ITenantGrain
{
    private string Id => this.GetPrimaryKeyString();

    private TenantSpec Spec => state.State.Spec ?? throw Failures.TenantNotFound(Id);

    private ResourceAmount Usage => state.State.Instances.Values.Aggregate(ResourceAmount.Zero, (sum, i) => sum + i.Resources);

    public async Task<TenantInfo> CreateAsync(TenantSpec spec)
    {
        if (state.State.Spec is not null)
        {
            throw DomainError.Of(ErrorStatus.AlreadyExists, ErrorReasons.TenantExists, $"tenant '{Id}' already exists", ("tenant_id", Id)).ToException();
        }
        var unknown = spec.AllowedRegions.Select((region, i) => (region, i)).Where(r => topology.FindRegion(r.region) is null).ToList();
        if (unknown.Count > 0)
        {
            throw DomainError.BadRequest(ErrorReasons.UnknownRegion,
                $"unknown region(s): {string.Join(", ", unknown.Select(u => u.region))}",
                unknown.Select(u => new FieldViolation($"allowed_regions[{u.i}]", $"region '{u.region}' does not exist"))).ToException();
        }
        state.State.Spec = spec;
        state.State.CreateTime = clock.GetUtcNow();
        await state.PersistAsync(this);
        await GrainFactory.GetGrain<ITenantDirectoryGrain>(ITenantDirectoryGrain.Key).AddAsync(Id);
        return Info();
    }

    public Task<TenantInfo> GetAsync() => Task.FromResult(Info());

    public async Task<InstanceInfo> AdmitInstanceAsync(InstanceInfo instance)
    {
        var spec = Spec;
        if (state.State.Instances.TryGetValue(instance.Id, out var existing)) return existing;

        if (!spec.AllowedRegions.Contains(instance.Region))
        {
            throw DomainError.Of(ErrorStatus.PermissionDenied, ErrorReasons.RegionNotAllowed,
                $"tenant '{Id}' may not use region '{instance.Region}' (allowed: {string.Join(", ", spec.AllowedRegions)})",
                ("tenant_id", Id), ("region", instance.Region), ("allowed_regions", string.Join(",", spec.AllowedRegions))).ToException();
        }
        if (state.State.Instances.Values.FirstOrDefault(i => i.Name == instance.Name) is { } sameName)
        {
            throw DomainError.Of(ErrorStatus.AlreadyExists, ErrorReasons.InstanceNameTaken,
                $"tenant '{Id}' already has an instance named '{instance.Name}' ({sameName.Id})",
                ("tenant_id", Id), ("name", instance.Name), ("instance_id", sameName.Id)).ToException();
        }
        var usage = Usage;
        var after = usage + instance.Resources;
        if (!spec.Quota.Covers(after))
        {
            var dimension = after.Cores > spec.Quota.Cores ? "cores" : after.MemoryMib > spec.Quota.MemoryMib ? "memory_mib" : "gpus";
            throw DomainError.Of(ErrorStatus.ResourceExhausted, ErrorReasons.QuotaExceeded,
                $"tenant '{Id}' quota exceeded on {dimension}: using {usage}, requesting {instance.Resources}, quota {spec.Quota}",
                ("tenant_id", Id), ("dimension", dimension), ("usage", usage.ToString()), ("requested", instance.Resources.ToString()),
                ("quota", spec.Quota.ToString())).ToException();
        }
        state.State.Instances[instance.Id] = instance;
        await state.PersistAsync(this);
        return instance;
    }

    public async Task AbortInstanceAsync(string instanceId)
    {
        if (state.State.Instances.Remove(instanceId))
        {
            await state.PersistAsync(this);
        }
    }

    public async Task<InstanceInfo> UpdateInstanceAsync(string instanceId, string zone, string serverId, InstanceState instanceState)
    {
        var instance = Find(instanceId) with { Zone = zone, ServerId = serverId, State = instanceState, UpdateTime = clock.GetUtcNow() };
        state.State.Instances[instanceId] = instance;
        await state.PersistAsync(this);
        return instance;
    }

    public async Task<InstanceInfo> BeginDeleteAsync(string instanceId, string operationId)
    {
        var instance = Find(instanceId);
        if (instance.State == InstanceState.Deleting && instance.OperationId == operationId) return instance;
        if (instance.State != InstanceState.Running)
        {
            throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.InstanceBusy,
                $"instance '{instanceId}' is {instance.State.ToString().ToLowerInvariant()}; it can be deleted once it is running",
                ("instance_id", instanceId), ("state", instance.State.ToString().ToUpperInvariant())).ToException();
        }
        instance = instance with { State = InstanceState.Deleting, OperationId = operationId, UpdateTime = clock.GetUtcNow() };
        state.State.Instances[instanceId] = instance;
        await state.PersistAsync(this);
        return instance;
    }

    public Task CompleteDeleteAsync(string instanceId) => AbortInstanceAsync(instanceId);

    public Task<InstanceInfo> GetInstanceAsync(string instanceId) => Task.FromResult(Find(instanceId));

    public Task<Page<InstanceInfo>> ListInstancesAsync(int pageSize, string? pageToken)
    {
        _ = Spec;
        var sorted = state.State.Instances.Values.OrderBy(i => i.Id, StringComparer.Ordinal).ToList();
        return Task.FromResult(PageToken.Slice(sorted, i => i.Id, pageSize, pageToken));
    }

    private InstanceInfo Find(string instanceId) =>
        state.State.Instances.GetValueOrDefault(instanceId) ?? throw Failures.InstanceNotFound(instanceId);

    private TenantInfo Info() => new(Spec, Usage, state.State.Instances.Count, state.State.CreateTime);
}
