using System.Collections.Concurrent;
using System.Diagnostics;
using ControlPlane.Contracts.V1;
using Grpc.Core;

namespace ControlPlane.IntegrationTests;

/// <summary>The root span of an API call (ASP.NET Core's server span) carries the operation, tenant, instance, region and zone it concerns.</summary>
[Collection(HostCollection.Name)]
public sealed class ApiSpanTests(HostFixture host) : IDisposable
{
    private readonly ConcurrentQueue<Activity> _ended = new();
    private ActivityListener? _listener;

    private void Listen()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ended.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener?.Dispose();

    /// <summary>A server span ends just after its response is sent.</summary>
    private Task Ended(Func<bool> spans) =>
        Eventually.HoldsAsync(() => Task.FromResult((spans(), $"{_ended.Count} spans")), TimeSpan.FromSeconds(5));

    private Activity RootSpanOf(string method, string tag, string value) => Assert.Single(_ended,
        a => a.OperationName == "Microsoft.AspNetCore.Hosting.HttpRequestIn" && a.Parent is null
            && (a.GetTagItem("url.path") as string ?? a.DisplayName).Contains(method) && a.GetTagItem(tag) as string == value);

    [Fact]
    public async Task A_create_its_wait_and_the_instance_read_are_tagged_with_operation_tenant_instance_region_and_zone()
    {
        await host.CreateTenantAsync("spans-acme", Api.Res(16, 64), "france-centre");
        Listen();

        var operation = await host.CreateInstanceAsync("spans-acme", "web-1", "Standard_D2s_v5");
        var done = await host.WaitAsync(operation);
        var instance = await host.Provisioning.GetInstanceAsync(new GetInstanceRequest { Id = operation.InstanceId });

        Assert.Equal(OperationState.Succeeded, done.State);
        await Ended(() => _ended.Count(a => a.GetTagItem("controlplane.operation_id") as string == operation.Id) >= 3);
        var create = RootSpanOf("CreateInstance", "controlplane.operation_id", operation.Id);
        Assert.Equal(("spans-acme", operation.InstanceId, "france-centre"),
            (create.GetTagItem("controlplane.tenant_id"), create.GetTagItem("controlplane.instance_id"), create.GetTagItem("controlplane.region")));
        var wait = RootSpanOf("WaitOperation", "controlplane.operation_id", operation.Id);
        Assert.Equal("spans-acme", wait.GetTagItem("controlplane.tenant_id"));
        var read = RootSpanOf("GetInstance", "controlplane.instance_id", instance.Id);
        Assert.Equal((operation.Id, "spans-acme", "france-centre", instance.Zone),
            (read.GetTagItem("controlplane.operation_id"), read.GetTagItem("controlplane.tenant_id"), read.GetTagItem("controlplane.region"), read.GetTagItem("controlplane.zone")));
        Assert.StartsWith("fr-centre-", instance.Zone);
    }

    [Fact]
    public async Task A_refused_call_is_tagged_from_its_request()
    {
        await host.CreateTenantAsync("spans-refused", Api.Res(2, 8), "france-centre");
        Listen();

        await Api.FailsAsync(() => host.CreateInstanceAsync("spans-refused", "big", "Standard_D16s_v5", zone: "fr-centre-1"), StatusCode.ResourceExhausted, "QUOTA_EXCEEDED");

        await Ended(() => _ended.Any(a => a.GetTagItem("controlplane.tenant_id") as string == "spans-refused"));
        var create = RootSpanOf("CreateInstance", "controlplane.tenant_id", "spans-refused");
        Assert.Equal(("france-centre", "fr-centre-1"), (create.GetTagItem("controlplane.region"), create.GetTagItem("controlplane.zone")));
        Assert.Null(create.GetTagItem("controlplane.operation_id"));
    }

    [Fact]
    public async Task A_hostile_field_is_cut_before_it_becomes_a_tag()
    {
        await host.CreateTenantAsync("spans-hostile", Api.Res(2, 8), "france-centre");
        Listen();
        var zone = new string('z', 10_000);

        await Api.FailsAsync(() => host.CreateInstanceAsync("spans-hostile", "vm", "Standard_D2s_v5", zone: zone), StatusCode.InvalidArgument, "UNKNOWN_ZONE");

        await Ended(() => _ended.Any(a => a.GetTagItem("controlplane.tenant_id") as string == "spans-hostile"));
        var create = RootSpanOf("CreateInstance", "controlplane.tenant_id", "spans-hostile");
        var tag = Assert.IsType<string>(create.GetTagItem("controlplane.zone"));
        Assert.InRange(tag.Length, 1, 200);
        Assert.StartsWith("zzz", tag);
    }
}
