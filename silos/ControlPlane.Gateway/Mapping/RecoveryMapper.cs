using ControlPlane.Domain.DisasterRecovery;
using ControlPlane.Grains.Abstractions.DisasterRecovery;
using Google.Protobuf.WellKnownTypes;
using V1 = ControlPlane.Contracts.V1;

namespace ControlPlane.Gateway.Mapping;

/// <summary>Disaster-recovery records to their protobuf messages.</summary>
public static class RecoveryMapper
{
    public static V1.InstanceProtection ToProto(this DrProtection p) => new()
    {
        InstanceId = p.InstanceId, Protected = true, TenantId = p.TenantId, Size = p.Size, Resources = p.Resources.ToProto(),
        DrRegion = p.DrRegion, ReservedZone = p.ReservedZone, ReservedServerId = p.ReservedServerId, Problem = p.Problem,
    };

    public static V1.RegionProtection ToProto(this DrStatus s)
    {
        var proto = new V1.RegionProtection
        {
            Region = s.Region, DrRegion = s.DrRegion, Mode = (V1.DrMode)(int)s.Mode,
            ProtectedInstances = s.Protected, ReservedInstances = s.Reserved,
        };
        proto.Unreserved.AddRange(s.Unreserved.Select(p => p.ToProto()));
        if (s.LastRun is { } run)
        {
            proto.LastRun = new V1.RegionRecoveryRun
            {
                Kind = run.Failover ? "failover" : "failback", Actor = run.Actor, Reason = run.Reason,
                StartTime = Timestamp.FromDateTimeOffset(run.StartTime), Total = run.Total, Done = run.Done,
            };
            if (run.EndTime is { } end) proto.LastRun.EndTime = Timestamp.FromDateTimeOffset(end);
            proto.LastRun.Failed.Add(run.Failed);
            proto.LastRun.LostInstanceIds.AddRange(run.Lost);
        }
        return proto;
    }
}
