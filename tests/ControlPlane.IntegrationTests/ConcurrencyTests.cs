using ControlPlane.Contracts.V1;
using Grpc.Core;

namespace ControlPlane.IntegrationTests;

[Collection(HostCollection.Name)]
public sealed class ConcurrencyTests(HostFixture host)
{
    [Fact]
    public async Task Two_hundred_concurrent_creates_over_grpc_fill_a_zone_and_never_overcommit_it()
    {
        // fr-sud-1 has 100 GPU servers; an 8-GPU size takes a whole one: 100 fit, 100 cannot.
        await host.CreateTenantAsync("burst-gpu", Api.Res(200 * 96, 200 * 1900, 200 * 8), "france-sud");

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            try
            {
                return (Operation: await host.CreateInstanceAsync("burst-gpu", $"train-{i}", "Standard_ND96isr_H100_v5", "france-sud", "fr-sud-1"),
                    Status: StatusCode.OK, Reason: "");
            }
            catch (RpcException e)
            {
                return (Operation: (Operation?)null, Status: e.StatusCode, Reason: e.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason ?? "");
            }
        }));

        var accepted = results.Where(r => r.Operation is not null).ToList();
        Assert.Equal(100, accepted.Count);
        Assert.All(results.Where(r => r.Operation is null), r => Assert.Equal((StatusCode.ResourceExhausted, "NO_CAPACITY"), (r.Status, r.Reason)));
        foreach (var (operation, _, _) in accepted)
        {
            Assert.Equal(OperationState.Succeeded, (await host.WaitAsync(operation!)).State);
        }

        var servers = new List<ServerSummary>();
        var token = "";
        do
        {
            var page = await host.Topology.ListServersAsync(new ListServersRequest { Zone = "fr-sud-1", PageSize = 1000, PageToken = token });
            servers.AddRange(page.Servers);
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        foreach (var gpuServer in servers.Where(s => s.Capacity.Gpus > 0))
        {
            var server = await host.Topology.GetServerAsync(new GetServerRequest { Id = gpuServer.Id });
            Assert.True(server.Allocated.Gpus <= server.Capacity.Gpus && server.Allocated.Cores <= server.Capacity.Cores
                && server.Allocated.MemoryMib <= server.Capacity.MemoryMib, $"{server.Id} is overcommitted");
            Assert.Single(server.Allocations);
        }
        var tenant = await host.Tenants.GetTenantAsync(new GetTenantRequest { Id = "burst-gpu" });
        Assert.Equal((100, 800L), (tenant.InstanceCount, tenant.Usage.Gpus));
    }
}
