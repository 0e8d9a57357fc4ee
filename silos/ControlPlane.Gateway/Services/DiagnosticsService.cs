using ControlPlane.Grains.Abstractions.Cluster;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using V1 = ControlPlane.Contracts.V1;

namespace ControlPlane.Gateway.Services;

/// <summary>The no-op baseline, answered from the gateway with no grain call; and the cluster's membership.</summary>
public sealed class DiagnosticsService(ILocalSiloDetails silo, TimeProvider clock, IClusterMembers members) : V1.Diagnostics.DiagnosticsBase
{
    public override Task<V1.PingResponse> Ping(V1.PingRequest request, ServerCallContext context) =>
        Task.FromResult(new V1.PingResponse { Silo = silo.Name, Time = Timestamp.FromDateTimeOffset(clock.GetUtcNow()) });

    public override async Task<V1.ListClusterMembersResponse> ListClusterMembers(V1.ListClusterMembersRequest request, ServerCallContext context)
    {
        var response = new V1.ListClusterMembersResponse();
        response.Members.AddRange((await members.ListAsync()).Select(ToProto));
        return response;
    }

    private static V1.ClusterMember ToProto(ClusterMemberInfo m)
    {
        var member = new V1.ClusterMember
        {
            Address = m.Address, Name = m.Name, HostName = m.HostName, Status = StatusOf(m.Status),
            StartTime = Timestamp.FromDateTimeOffset(m.StartTime), IAmAliveTime = Timestamp.FromDateTimeOffset(m.IAmAliveTime),
            OpsCentre = m.OpsCentre, Answered = m.IsLocal,
        };
        member.Regions.AddRange(m.Regions);
        return member;
    }

    private static V1.MemberStatus StatusOf(string status) => status switch
    {
        "joining" => V1.MemberStatus.Joining,
        "active" => V1.MemberStatus.Active,
        "shutting-down" => V1.MemberStatus.ShuttingDown,
        "stopping" => V1.MemberStatus.Stopping,
        "dead" => V1.MemberStatus.Dead,
        _ => V1.MemberStatus.Unspecified,
    };
}
