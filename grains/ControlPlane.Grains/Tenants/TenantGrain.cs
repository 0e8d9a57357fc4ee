using System.Collections.Immutable;
using ControlPlane.Domain.Capacity;
using ControlPlane.Domain.Residency;
using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Paging;
using ControlPlane.Grains.Abstractions.Tenants;
using ControlPlane.Grains.Access;
using ControlPlane.Grains.Storage;
using ControlPlane.Grains.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace ControlPlane.Grains.Tenants;

/// <summary>
/// A tenant: the authority on its quota and usage. Usage is always the sum of the instances it
/// holds, so it cannot drift from them. The instances are stored in pages of their own
/// (<see cref="EntryPages{T}"/>, state <c>tenantInstances</c>): an admission or a release writes one
/// page, whatever the tenant's size, and usage and names are indexed in memory when the grain activates.
/// </summary>
public sealed class TenantGrain(
    PlatformTopology topology,
    TimeProvider clock,
    [PersistentState("tenant", StorageNames.State)] IPersistentState<TenantState> state) : Grain, ITenantGrain
{
    /// <summary>The storage state name of the instance pages.</summary>
    public const string InstancePagesState = "tenantInstances";

    private EntryPages<TenantInstance> _instances = null!;
    private readonly Dictionary<string, string> _instanceByName = new(StringComparer.Ordinal);
    private ResourceAmount _usage = ResourceAmount.Zero;
    private string[]? _sortedIds; // the listing's order, built on the first page asked after a change

    private string Id => this.GetPrimaryKeyString();

    private TenantSpec Spec => state.State.Spec ?? throw Failures.TenantNotFound(Id);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _instances = new EntryPages<TenantInstance>(ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.State), InstancePagesState, Id);
        if (state.State.Spec is null) return; // no tenant, so no instance: nothing to read
        await _instances.LoadAsync();
        if (state.State.Instances.Count > 0)
        {
            // Written whole in the state by an earlier version: moved into pages, then dropped from the state.
            await _instances.AddMissingAsync(state.State.Instances, this);
            state.State.Instances.Clear();
            await state.PersistAsync(this);
        }
        foreach (var (id, instance) in _instances.Entries) Indexed(id, instance);
    }

    private void Indexed(string id, TenantInstance instance)
    {
        _instanceByName.TryAdd(instance.Name, id);
        _usage += instance.Resources;
        _sortedIds = null;
    }

    public async Task<TenantInfo> CreateAsync(TenantSpec spec)
    {
        CheckCreate(spec);
        state.State.Spec = spec;
        state.State.CreateTime = clock.GetUtcNow();
        await state.PersistAsync(this);
        await GrainFactory.GetGrain<ITenantDirectoryShardGrain>(ITenantDirectoryShardGrain.Of(Id)).AddAsync(Id);
        return Info();
    }

    public Task<TenantInfo> CheckCreateAsync(TenantSpec spec)
    {
        CheckCreate(spec);
        return Task.FromResult(new TenantInfo(spec, ResourceAmount.Zero, 0, clock.GetUtcNow()));
    }

    /// <summary>The caller's right, a free id, known regions, an EU residency country and the regions' residency: throws the refusal.</summary>
    private void CheckCreate(TenantSpec spec)
    {
        AccessPolicy.Require(CallerContext.Current, Permission.CreateTenant, Scopes.Platform);
        if (state.State.Spec is not null)
        {
            throw DomainError.Of(ErrorStatus.AlreadyExists, ErrorReasons.TenantExists, $"tenant '{Id}' already exists", (ErrorMetadata.TenantId, Id)).ToException();
        }
        var unknown = spec.AllowedRegions.Select((region, i) => (region, i)).Where(r => topology.FindRegion(r.region) is null).ToList();
        if (unknown.Count > 0)
        {
            throw DomainError.BadRequest(ErrorReasons.UnknownRegion,
                $"unknown region(s): {string.Join(", ", unknown.Select(u => u.region))}",
                unknown.Select(u => new FieldViolation($"allowed_regions[{u.i}]", $"region '{u.region}' does not exist"))).ToException();
        }
        if (spec.DataCountry.Length > 0 && !EuropeanUnion.Contains(spec.DataCountry))
        {
            throw DomainError.BadField(ErrorReasons.RegionOutsideEu, "residency.country",
                $"residency.country '{spec.DataCountry}' is not a member state of the EU (ISO 3166-1 alpha-2, e.g. FR)").ToException();
        }
        foreach (var region in spec.AllowedRegions)
        {
            if (Residency.Problem(spec, topology.FindRegion(region)!, creation: true) is { } problem) throw problem.ToException();
        }
    }

    public Task<TenantInfo> GetAsync() => Task.FromResult(Info());

    public async Task AdmitInstanceAsync(string instanceId, string name, string region, ResourceAmount resources)
    {
        var spec = Spec;
        if (_instances.ContainsKey(instanceId)) return;
        CheckInstance(spec, name, region, resources, ResourceAmount.Zero);
        var instance = new TenantInstance(name, resources);
        await _instances.SetAsync(instanceId, instance, this);
        Indexed(instanceId, instance);
    }

    public Task CheckInstancesAsync(string region, ImmutableArray<TenantInstance> instances)
    {
        var spec = Spec;
        var before = ResourceAmount.Zero;
        foreach (var instance in instances)
        {
            CheckInstance(spec, instance.Name, region, instance.Resources, before);
            before += instance.Resources;
        }
        return Task.CompletedTask;
    }

    /// <summary>Region, residency, name and quota of a new instance, admitted after instances holding <paramref name="before"/>: throws the refusal.</summary>
    private void CheckInstance(TenantSpec spec, string name, string region, ResourceAmount resources, ResourceAmount before)
    {
        EnsureRegionAllowed(spec, region);
        Residency.Require(spec, topology, region);
        if (_instanceByName.TryGetValue(name, out var sameName))
        {
            throw DomainError.Of(ErrorStatus.AlreadyExists, ErrorReasons.InstanceNameTaken,
                $"tenant '{Id}' already has an instance named '{name}' ({sameName})",
                (ErrorMetadata.TenantId, Id), (ErrorMetadata.Name, name), (ErrorMetadata.InstanceId, sameName)).ToException();
        }
        var usage = _usage + before;
        var after = usage + resources;
        if (!spec.Quota.Covers(after))
        {
            var dimension = after.Cores > spec.Quota.Cores ? "cores" : after.MemoryMib > spec.Quota.MemoryMib ? "memory_mib" : "gpus";
            throw DomainError.Of(ErrorStatus.ResourceExhausted, ErrorReasons.QuotaExceeded,
                $"tenant '{Id}' quota exceeded on {dimension}: using {usage}, requesting {resources}, quota {spec.Quota}",
                [(ErrorMetadata.TenantId, Id), (ErrorMetadata.Dimension, dimension), (ErrorMetadata.Usage, usage.ToString()), (ErrorMetadata.Requested, resources.ToString()),
                (ErrorMetadata.Quota, spec.Quota.ToString()), .. ErrorMetadata.Amount(ErrorMetadata.Usage, usage),
                .. ErrorMetadata.Amount(ErrorMetadata.Requested, resources), .. ErrorMetadata.Amount(ErrorMetadata.Quota, spec.Quota)]).ToException();
        }
    }

    public async Task ReleaseInstanceAsync(string instanceId)
    {
        if (!_instances.TryGetValue(instanceId, out var instance) || !await _instances.RemoveAsync(instanceId, this)) return;
        if (_instanceByName.TryGetValue(instance.Name, out var named) && named == instanceId) _instanceByName.Remove(instance.Name);
        _usage -= instance.Resources;
        _sortedIds = null;
    }

    public async Task AdmitServiceAsync(string serviceId, string name, string region)
    {
        var spec = Spec;
        if (state.State.Services.ContainsKey(serviceId)) return;
        CheckService(spec, name, region);
        state.State.Services[serviceId] = name;
        await state.PersistAsync(this);
    }

    public Task CheckServiceAsync(string name, string region)
    {
        CheckService(Spec, name, region);
        return Task.CompletedTask;
    }

    /// <summary>Region, residency and name of a new service: throws the refusal.</summary>
    private void CheckService(TenantSpec spec, string name, string region)
    {
        EnsureRegionAllowed(spec, region);
        Residency.Require(spec, topology, region);
        if (state.State.Services.FirstOrDefault(s => s.Value == name) is { Key: { } sameName })
        {
            throw DomainError.Of(ErrorStatus.AlreadyExists, ErrorReasons.ServiceNameTaken,
                $"tenant '{Id}' already has a service named '{name}' ({sameName})",
                (ErrorMetadata.TenantId, Id), (ErrorMetadata.Name, name), (ErrorMetadata.ServiceId, sameName)).ToException();
        }
    }

    public async Task ReleaseServiceAsync(string serviceId)
    {
        if (state.State.Services.Remove(serviceId))
        {
            await state.PersistAsync(this);
        }
    }

    public Task<Page<string>> ListServiceIdsAsync(int pageSize, string? pageToken)
    {
        _ = Spec;
        var sorted = state.State.Services.Keys.Order(StringComparer.Ordinal).ToList();
        return Task.FromResult(PageToken.Slice(sorted, id => id, pageSize, pageToken));
    }

    public Task<Page<string>> ListInstanceIdsAsync(int pageSize, string? pageToken)
    {
        _ = Spec;
        _sortedIds ??= [.. _instances.Entries.Select(e => e.Key).Order(StringComparer.Ordinal)];
        return Task.FromResult(PageToken.Slice(_sortedIds, id => id, pageSize, pageToken));
    }

    private void EnsureRegionAllowed(TenantSpec spec, string region)
    {
        if (spec.AllowedRegions.Contains(region)) return;
        throw DomainError.Of(ErrorStatus.PermissionDenied, ErrorReasons.RegionNotAllowed,
            $"tenant '{Id}' may not use region '{region}' (allowed: {string.Join(", ", spec.AllowedRegions)})",
            (ErrorMetadata.TenantId, Id), (ErrorMetadata.Region, region), (ErrorMetadata.AllowedRegions, string.Join(",", spec.AllowedRegions))).ToException();
    }

    private TenantInfo Info() => new(Spec, _usage, _instances.Count, state.State.CreateTime);
}
