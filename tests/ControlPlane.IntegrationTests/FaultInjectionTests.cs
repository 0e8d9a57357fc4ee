using ControlPlane.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace ControlPlane.IntegrationTests;

/// <summary>Provisioning through flaky agents: everything ends, failures stay within the retry budget, nothing leaks.</summary>
public sealed class FaultInjectionTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    [Fact]
    public async Task A_thousand_creates_through_agents_failing_20_percent_of_calls()
    {
        const int total = 1000;
        await fleet.FleetControl.SetFaultsAsync(new FleetFaults { ErrorRate = 0.2, MinLatencyMs = 0, MaxLatencyMs = 3 });
        const int tenants = 10;
        for (var t = 0; t < tenants; t++)
        {
            await fleet.Tenants.CreateTenantAsync(new CreateTenantRequest
            {
                Id = $"flaky-{t}", Quota = new Resources { Cores = 100_000, MemoryMib = 1_000_000_000 }, AllowedRegions = { "france-centre" },
            });
        }

        var next = -1;
        var operations = new Operation[total];
        await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                operations[i] = await fleet.Provisioning.CreateInstanceAsync(new CreateInstanceRequest
                {
                    RequestId = $"flaky-{i}", TenantId = $"flaky-{i % tenants}", Name = $"vm-{i}", Size = "Standard_D2s_v5", Region = "france-centre",
                });
            }
        })));
        var ended = await Task.WhenAll(operations.Select(o => fleet.Provisioning.WaitOperationAsync(
            new WaitOperationRequest { Id = o.Id, Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(60)) }).ResponseAsync));

        Assert.All(ended, o => Assert.True(o.State is OperationState.Succeeded or OperationState.Failed, $"{o.Id} is still {o.State}"));
        var status = await fleet.FleetControl.GetStatusAsync(new GetStatusRequest());
        var errorShare = (double)status.InjectedErrors / status.Calls;
        Assert.InRange(errorShare, 0.15, 0.25);
        // Four attempts per call: a create fails only when all four do (0.2^4 = 0.16 %, about 2 in 1,000).
        var failed = ended.Where(o => o.State == OperationState.Failed).ToList();
        Assert.True(failed.Count <= 10, $"{failed.Count} of {total} creates failed, far more than the retry budget allows; the first: "
            + string.Join("; ", failed.Take(5).Select(o => $"{o.Error.Code} {o.Error.Message}")));
        Assert.All(failed, o => Assert.Equal((int)StatusCode.Unavailable, o.Error.Code));

        // Nothing leaks: the zones hold exactly the running instances, and the agents run exactly them.
        var instances = new List<Instance>();
        for (var t = 0; t < tenants; t++)
        {
            instances.AddRange((await fleet.Provisioning.ListInstancesAsync(new ListInstancesRequest { TenantId = $"flaky-{t}", PageSize = 1000 })).Instances);
        }
        Assert.Equal(total - failed.Count, instances.Count);
        Assert.All(instances, i => Assert.Equal(InstanceState.Running, i.State));
        var zones = await fleet.Topology.ListZonesAsync(new ListZonesRequest { Region = "france-centre" });
        Assert.Equal(instances.Sum(i => i.Resources.Cores), zones.Zones.Sum(z => z.Total.Cores - z.Free.Cores));
        Assert.Equal(instances.Sum(i => i.Resources.MemoryMib), zones.Zones.Sum(z => z.Total.MemoryMib - z.Free.MemoryMib));
        // The agents converge on exactly those instances: copies left by moves off servers that looked
        // dead under load are strays, deleted by reconciliation.
        await Eventually.HoldsAsync(async () =>
        {
            var running = (await fleet.FleetControl.GetStatusAsync(new GetStatusRequest())).Instances;
            return (running == instances.Count, $"the agents run {running} instances, {instances.Count} exist");
        }, TimeSpan.FromSeconds(30));
        for (var t = 0; t < tenants; t++)
        {
            var usage = (await fleet.Tenants.GetTenantAsync(new GetTenantRequest { Id = $"flaky-{t}" })).Usage;
            Assert.Equal(instances.Where(i => i.TenantId == $"flaky-{t}").Sum(i => i.Resources.Cores), usage.Cores);
        }
    }
}
