using ControlPlane.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace ControlPlane.IntegrationTests;

/// <summary>A host that runs one API call at a time with no queue, and agents slow enough to hold a call in flight.</summary>
public sealed class OneCallHostFixture : HostFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("ControlPlane:Gateway:MaxConcurrentCalls", "1"),
        new("ControlPlane:Gateway:QueueLimit", "0"),
        new("ControlPlane:Agents:Latency", "00:00:15"),
        new("ControlPlane:Agents:Resilience:AttemptTimeout", "00:01:00"),
    ];
}

/// <summary>Calls beyond the gateway's capacity are refused before any work: UNAVAILABLE OVERLOADED with RetryInfo, and nothing changes.</summary>
public sealed class OverloadTests(OneCallHostFixture host) : IClassFixture<OneCallHostFixture>
{
    [Fact]
    public async Task A_call_beyond_capacity_is_refused_overloaded_and_its_change_is_not_made()
    {
        await host.CreateTenantAsync("overload", Api.Res(100, 400), "france-centre");
        var creating = await host.CreateInstanceAsync("overload", "vm-1", "Standard_D2s_v5");
        // Holds the only slot while the slow agent creates vm-1. The create's own slot can still be held for an
        // instant after its answer reached us, so the wait itself may be refused OVERLOADED: then it is sent again.
        // Two pings refused in a row while the wait is still open show that the wait holds the slot.
        var waiting = Wait(creating.Id);

        RpcException? refused = null;
        var refusals = 0;
        await Eventually.HoldsAsync(async () =>
        {
            if (waiting.ResponseAsync.IsFaulted)
            {
                var failure = (RpcException)waiting.ResponseAsync.Exception!.InnerException!;
                Assert.Equal(StatusCode.Unavailable, failure.StatusCode);
                waiting = Wait(creating.Id);
                refusals = 0;
                return (false, "the wait was refused; sent again");
            }
            try
            {
                await host.Channel.CreateCallInvoker().AsyncUnaryCall(PingMethod, null, default, []);
                refusals = 0;
                return (false, "a ping was served");
            }
            catch (RpcException e)
            {
                refused = e;
                return (++refusals >= 2, $"{refusals} ping(s) refused {e.StatusCode}");
            }
        }, TimeSpan.FromSeconds(12));
        Assert.Equal(StatusCode.Unavailable, refused!.StatusCode);
        Assert.Equal("OVERLOADED", refused.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);
        Assert.True(refused.GetRpcStatus()!.GetDetail<RetryInfo>()!.RetryDelay.ToTimeSpan() > TimeSpan.Zero);

        await Api.FailsAsync(() => host.CreateInstanceAsync("overload", "vm-refused", "Standard_D2s_v5", requestId: "refused-1"),
            StatusCode.Unavailable, "OVERLOADED");

        Assert.Equal(OperationState.Succeeded, (await waiting.ResponseAsync).State);
        var instances = await host.Provisioning.ListInstancesAsync(new ListInstancesRequest { TenantId = "overload" });
        Assert.Equal(new[] { "vm-1" }, instances.Instances.Select(i => i.Name));
    }

    private AsyncUnaryCall<Operation> Wait(string id) =>
        host.Provisioning.WaitOperationAsync(new WaitOperationRequest { Id = id, Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(60)) });

    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(b => b, b => b);
    private static readonly Method<byte[], byte[]> PingMethod = new(MethodType.Unary, "controlplane.v1.Diagnostics", "Ping", Raw, Raw);
}
