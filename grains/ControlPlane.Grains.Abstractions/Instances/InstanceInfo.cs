using System.Collections.Immutable;
using ControlPlane.Domain.Capacity;
using ControlPlane.Grains.Abstractions.Scheduling;

namespace ControlPlane.Grains.Abstractions.Instances;

/// <summary>
/// An instance: its spec (size, region, requested zone; <see cref="Generation"/> counts changes of
/// where it should run) and its status (server, state, conditions, and the generation the agent last
/// confirmed). <see cref="OperationId"/> names the operation acting on it (creating, moving or deleting it).
/// </summary>
[GenerateSerializer, Immutable, Alias("cp.InstanceInfo")]
public sealed record InstanceInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string Name,
    [property: Id(3)] string Size,
    [property: Id(4)] ResourceAmount Resources,
    [property: Id(5)] string Region,
    [property: Id(6)] string Zone,
    [property: Id(7)] string ServerId,
    [property: Id(8)] InstanceState State,
    [property: Id(9)] DateTimeOffset CreateTime,
    [property: Id(10)] DateTimeOffset UpdateTime,
    [property: Id(11)] string OperationId = "")
{
    [Id(12)] public long Generation { get; init; } = 1;

    [Id(13)] public long ObservedGeneration { get; init; }

    [Id(14)] public ImmutableArray<InstanceCondition> Conditions { get; init; } = [];

    /// <summary>The tenant's anti-affinity group of the instance ("" for none) and its scope.</summary>
    [Id(15)] public string AntiAffinityGroup { get; init; } = "";
    [Id(16)] public AntiAffinityScope AntiAffinityScope { get; init; }

    /// <summary>The service this instance runs ("" for an instance the tenant ordered itself): it lives and dies with it.</summary>
    [Id(17)] public string ServiceId { get; init; } = "";

    /// <summary>Whether the tenant asked for capacity to be reserved in the disaster-recovery region, to fail over to.</summary>
    [Id(18)] public bool DrProtected { get; init; }

    /// <summary>Set while the instance runs in the disaster-recovery region after a failover: the region it returns to.</summary>
    [Id(19)] public string HomeRegion { get; init; } = "";

    /// <summary>The group's key in placement (groups are per tenant), or "".</summary>
    public string AntiAffinityKey => AntiAffinityGroup.Length > 0 ? $"{TenantId}/{AntiAffinityGroup}" : "";

    /// <summary>This instance with <paramref name="condition"/> set, keeping the transition time when its status did not change.</summary>
    public InstanceInfo WithCondition(string type, bool status, string reason, string message, DateTimeOffset now)
    {
        var existing = Conditions.FirstOrDefault(c => c.Type == type);
        var since = existing is not null && existing.Status == status ? existing.LastTransitionTime : now;
        var updated = new InstanceCondition(type, status, reason, message, since);
        return this with { Conditions = existing is null ? Conditions.Add(updated) : Conditions.Replace(existing, updated) };
    }

    public InstanceCondition? Condition(string type) => Conditions.FirstOrDefault(c => c.Type == type);
}
