using ControlPlane.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace ControlPlane.IntegrationTests;

/// <summary>Calls as an outside client makes them, and checks on the rich errors it gets back.</summary>
public static class Api
{
    public static Resources Res(long cores, long memoryGib, long gpus = 0) => new() { Cores = cores, MemoryMib = memoryGib * 1024, Gpus = gpus };

    public static Task<Tenant> CreateTenantAsync(this HostFixture host, string id, Resources quota, params string[] regions)
    {
        var request = new CreateTenantRequest { Id = id, DisplayName = id, Quota = quota };
        request.AllowedRegions.AddRange(regions);
        return host.Tenants.CreateTenantAsync(request).ResponseAsync;
    }

    public static Task<Operation> CreateInstanceAsync(this HostFixture host, string tenant, string name, string size,
        string region = "france-centre", string zone = "", string? requestId = null) =>
        host.Provisioning.CreateInstanceAsync(new CreateInstanceRequest
        {
            RequestId = requestId ?? Guid.NewGuid().ToString(), TenantId = tenant, Name = name, Size = size, Region = region, Zone = zone,
        }).ResponseAsync;

    public static async Task<Operation> WaitAsync(this HostFixture host, Operation operation)
    {
        var done = await host.Provisioning.WaitOperationAsync(new WaitOperationRequest { Id = operation.Id, Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(30)) });
        Assert.True(done.State is OperationState.Succeeded or OperationState.Failed, $"operation {operation.Id} is still {done.State}");
        return done;
    }

    /// <summary>Asserts the call fails with this code and ErrorInfo reason; returns the details.</summary>
    public static async Task<(ErrorInfo Info, BadRequest? BadRequest)> FailsAsync(Func<Task> call, StatusCode code, string reason)
    {
        var e = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(code, e.StatusCode);
        var status = e.GetRpcStatus();
        Assert.NotNull(status);
        var info = status.GetDetail<ErrorInfo>();
        Assert.NotNull(info);
        Assert.Equal(reason, info.Reason);
        Assert.Equal("controlplane.v1", info.Domain);
        return (info, status.GetDetail<BadRequest>());
    }

    /// <summary>
    /// A change sent as a dry run (validate_only), then for real: both refused with this code and ErrorInfo reason, with
    /// the same metadata; returns the dry run's details.
    /// </summary>
    public static async Task<ErrorInfo> SameRefusalAsync(Func<bool, Task> call, StatusCode code, string reason)
    {
        var (dry, _) = await FailsAsync(() => call(true), code, reason);
        var (real, _) = await FailsAsync(() => call(false), code, reason);
        Assert.Equal(real.Metadata, dry.Metadata);
        return dry;
    }
}
