using ControlPlane.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace ControlPlane.Cluster.Tests;

/// <summary>Calls as provisioning tooling makes them against a cluster: retry on another gateway with the same request id.</summary>
public static class Calls
{
    public static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(20);

    public static async Task CreateTenantAsync(this LocalCluster cluster, string id, long cores, params string[] regions)
    {
        var request = new CreateTenantRequest { Id = id, DisplayName = id, Quota = new Resources { Cores = cores, MemoryMib = cores * 8 * 1024, Gpus = 0 } };
        request.AllowedRegions.AddRange(regions);
        await RetryAsync(1, silo => cluster.Tenants(silo).CreateTenantAsync(request, deadline: Deadline()).ResponseAsync, tolerateAlreadyExists: true);
    }

    /// <summary>Tries gateway <paramref name="first"/>, then the others in turn, while the cluster answers Unavailable or not at all.</summary>
    public static async Task<T> RetryAsync<T>(int first, Func<int, Task<T>> call, int attempts = 8, bool tolerateAlreadyExists = false)
    {
        for (var attempt = 0; ; attempt++)
        {
            var silo = (first - 1 + attempt) % LocalCluster.Silos + 1;
            try
            {
                return await call(silo);
            }
            catch (RpcException e) when (tolerateAlreadyExists && e.StatusCode == StatusCode.AlreadyExists)
            {
                return default!;
            }
            catch (RpcException e) when (attempt < attempts && e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown)
            {
                await Task.Delay(200 * (attempt + 1));
            }
        }
    }

    public static DateTime Deadline() => DateTime.UtcNow + CallDeadline;

    /// <summary>Waits, through whichever gateway answers, until the operation is terminal.</summary>
    public static async Task<Operation> WaitTerminalAsync(this LocalCluster cluster, string operationId, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        while (true)
        {
            var operation = await RetryAsync(1, silo => cluster.Provisioning(silo).WaitOperationAsync(
                new WaitOperationRequest { Id = operationId, Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(5)) }, deadline: Deadline()).ResponseAsync);
            if (operation.State is OperationState.Succeeded or OperationState.Failed || DateTime.UtcNow > until) return operation;
        }
    }

    public static async Task<List<Instance>> ListInstancesAsync(this LocalCluster cluster, string tenant)
    {
        var all = new List<Instance>();
        var token = "";
        do
        {
            var page = await RetryAsync(1, silo => cluster.Provisioning(silo).ListInstancesAsync(
                new ListInstancesRequest { TenantId = tenant, PageSize = 1000, PageToken = token }, deadline: Deadline()).ResponseAsync);
            all.AddRange(page.Instances);
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        return all;
    }

    public static async Task<List<ServerSummary>> ListServersAsync(this LocalCluster cluster, string zone)
    {
        var all = new List<ServerSummary>();
        var token = "";
        do
        {
            var page = await RetryAsync(1, silo => cluster.Topology(silo).ListServersAsync(
                new ListServersRequest { Zone = zone, PageSize = 1000, PageToken = token }, deadline: Deadline()).ResponseAsync);
            all.AddRange(page.Servers);
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        return all;
    }

    /// <summary>Polls until <paramref name="condition"/> holds or the time is up; returns whether it held.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        while (DateTime.UtcNow < until)
        {
            try
            {
                if (await condition()) return true;
            }
            catch (RpcException)
            {
            }
            await Task.Delay(250);
        }
        return false;
    }
}
