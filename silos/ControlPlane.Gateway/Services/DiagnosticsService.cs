using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using V1 = ControlPlane.Contracts.V1;

namespace ControlPlane.Gateway.Services;

/// <summary>The no-op baseline: answers from the gateway, with no grain call.</summary>
public sealed class DiagnosticsService(ILocalSiloDetails silo, TimeProvider clock) : V1.Diagnostics.DiagnosticsBase
{
    public override Task<V1.PingResponse> Ping(V1.PingRequest request, ServerCallContext context) =>
        Task.FromResult(new V1.PingResponse { Silo = silo.Name, Time = Timestamp.FromDateTimeOffset(clock.GetUtcNow()) });
}
