using ControlPlane.Domain.Capacity;
using ControlPlane.Domain.Servers;
using ControlPlane.Domain.Topology;
using ControlPlane.Gateway.Errors;
using ControlPlane.Grains.Abstractions.Catalogue;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Regions;
using ControlPlane.Grains.Abstractions.Scheduling;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Abstractions.Services;
using ControlPlane.Grains.Abstractions.Tenants;
using ControlPlane.Grains.Abstractions.Zones;
using Google.Protobuf.WellKnownTypes;
using V1 = ControlPlane.Contracts.V1;

namespace ControlPlane.Gateway.Mapping;

/// <summary>Model ↔ wire conversions, one small method a type.</summary>
public static class ProtoMapper
{
    public static V1.Resources ToProto(this ResourceAmount r) => new() { Cores = r.Cores, MemoryMib = r.MemoryMib, Gpus = r.Gpus };

    public static ResourceAmount ToModel(this V1.Resources? r) => r is null ? ResourceAmount.Zero : new(r.Cores, r.MemoryMib, r.Gpus);

    public static V1.Region ToProto(this RegionInfo r)
    {
        var proto = new V1.Region
        {
            Id = r.Id, DisplayName = r.DisplayName, OpsCentre = r.OpsCentre, Total = r.Total.ToProto(), Free = r.Free.ToProto(),
            ServerCount = r.ServerCount, Country = r.Country,
            Role = r.Role == RegionRole.Production ? V1.RegionRole.Production : V1.RegionRole.DisasterRecovery,
        };
        proto.Zones.AddRange(r.Zones);
        return proto;
    }

    public static V1.Zone ToProto(this ZoneInfo z) => new()
    {
        Id = z.Id, Region = z.Region, Datacentre = z.Datacentre, Total = z.Total.ToProto(), Free = z.Free.ToProto(),
        ServerCount = z.ServerCount, InstanceCount = z.InstanceCount, ServedBy = z.ServedBy, ServedByOpsCentre = z.ServedByOpsCentre,
        State = (V1.ZoneState)(int)z.State,
    };

    public static V1.ServerSummary ToProto(this ServerSummary s) => new()
    {
        Id = s.Id, Zone = s.Zone, Sku = s.Sku, GpuModel = s.GpuModel, Capacity = s.Capacity.ToProto(), Free = s.Free.ToProto(),
        InstanceCount = s.InstanceCount, Lifecycle = (V1.ServerLifecycle)(int)s.Lifecycle, AgentReachable = s.AgentReachable,
    };

    public static V1.Server ToProto(this ServerDetails s)
    {
        var proto = new V1.Server
        {
            Id = s.Id, Zone = s.Zone, Region = s.Region, Datacentre = s.Datacentre, Rack = s.Rack, Sku = s.Sku, GpuModel = s.GpuModel,
            Capacity = s.Capacity.ToProto(), Allocated = s.Allocated.ToProto(), Free = s.Free.ToProto(),
            Lifecycle = (V1.ServerLifecycle)(int)s.Lifecycle, LifecycleReason = s.LifecycleReason, Agent = s.Agent.ToProto(),
            DrainOperationId = s.DrainOperationId,
        };
        proto.Allocations.AddRange(s.Allocations.Select(a => new V1.Allocation
        {
            InstanceId = a.InstanceId, TenantId = a.TenantId, Size = a.Size, Resources = a.Resources.ToProto(),
        }));
        return proto;
    }

    public static V1.AgentStatus ToProto(this ServerAgentStatus a)
    {
        var proto = new V1.AgentStatus { Reachable = a.Reachable, LastError = a.LastError, Circuit = a.Circuit };
        if (a.LastContact is { } contact) proto.LastContact = Timestamp.FromDateTimeOffset(contact);
        if (a.UnreachableSince is { } since) proto.UnreachableSince = Timestamp.FromDateTimeOffset(since);
        return proto;
    }

    public static V1.InstanceSize ToProto(this InstanceSize s) => new()
    {
        Name = s.Name, Family = s.Family, Resources = s.Resources.ToProto(), GpuModel = s.GpuModel,
    };

    public static V1.Tenant ToProto(this TenantInfo t)
    {
        var proto = new V1.Tenant
        {
            Id = t.Spec.Id, DisplayName = t.Spec.DisplayName, Quota = t.Spec.Quota.ToProto(), Usage = t.Usage.ToProto(),
            InstanceCount = t.InstanceCount, CreateTime = Timestamp.FromDateTimeOffset(t.CreateTime),
            Residency = new V1.Residency { Country = t.Spec.DataCountry, InCountryDr = t.Spec.InCountryDr },
        };
        proto.AllowedRegions.AddRange(t.Spec.AllowedRegions);
        return proto;
    }

    public static V1.Instance ToProto(this InstanceInfo i)
    {
        var proto = new V1.Instance
        {
            Id = i.Id, TenantId = i.TenantId, Name = i.Name, Size = i.Size, Resources = i.Resources.ToProto(), Region = i.Region,
            Zone = i.Zone, ServerId = i.ServerId, State = (V1.InstanceState)(int)i.State,
            CreateTime = Timestamp.FromDateTimeOffset(i.CreateTime), UpdateTime = Timestamp.FromDateTimeOffset(i.UpdateTime),
            Generation = i.Generation, ObservedGeneration = i.ObservedGeneration, OperationId = i.OperationId,
            AntiAffinityGroup = i.AntiAffinityGroup, AntiAffinityScope = (V1.AntiAffinityScope)(int)i.AntiAffinityScope,
            ServiceId = i.ServiceId, DrProtected = i.DrProtected, HomeRegion = i.HomeRegion,
        };
        proto.Conditions.AddRange(i.Conditions.Select(c => new V1.Condition
        {
            Type = c.Type, Status = c.Status, Reason = c.Reason, Message = c.Message, LastTransitionTime = Timestamp.FromDateTimeOffset(c.LastTransitionTime),
        }));
        return proto;
    }

    public static V1.Operation ToProto(this OperationInfo o)
    {
        var proto = new V1.Operation
        {
            Id = o.Id, RequestId = o.RequestId, Kind = (V1.OperationKind)(int)o.Kind, State = (V1.OperationState)(int)o.State,
            InstanceId = o.InstanceId, TenantId = o.TenantId, TraceId = o.TraceId, ServiceId = o.ServiceId, ServerId = o.ServerId,
            CreateTime = Timestamp.FromDateTimeOffset(o.CreateTime), UpdateTime = Timestamp.FromDateTimeOffset(o.UpdateTime),
        };
        if (o.EndTime is { } end) proto.EndTime = Timestamp.FromDateTimeOffset(end);
        proto.InstanceIds.AddRange(!o.InstanceIds.IsDefaultOrEmpty ? o.InstanceIds : o.InstanceId.Length > 0 ? [o.InstanceId] : []);
        if (o.Error is { } error) proto.Error = RpcErrors.ToStatus(error);
        return proto;
    }

    /// <summary>A dry run's answer: validate_only set; a new operation's has no id and state UNSPECIFIED (nothing started).</summary>
    public static V1.Operation ToProto(this OperationPreview preview)
    {
        var proto = preview.Operation.ToProto();
        proto.ValidateOnly = true;
        if (proto.Id.Length == 0) proto.State = V1.OperationState.Unspecified;
        proto.ValidatedZones.AddRange(preview.Zones);
        return proto;
    }

    public static V1.Service ToProto(this ServiceInfo s)
    {
        var proto = new V1.Service
        {
            Id = s.Id, TenantId = s.TenantId, Name = s.Name, OfferId = s.OfferId, Kind = (V1.OfferKind)(int)s.Kind, Region = s.Region,
            Seats = s.Seats, State = (V1.ServiceState)(int)s.State, OperationId = s.OperationId,
            CreateTime = Timestamp.FromDateTimeOffset(s.CreateTime), UpdateTime = Timestamp.FromDateTimeOffset(s.UpdateTime),
        };
        proto.InstanceIds.AddRange(s.InstanceIds);
        return proto;
    }
}
