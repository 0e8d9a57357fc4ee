using System.Collections.Concurrent;
using ControlPlane.Contracts.V1;
using System.Diagnostics;
using Grpc.Core;
using Xunit.Abstractions;

namespace ControlPlane.Cluster.Tests;

/// <summary>
/// PostgreSQL restarted as a crash would, under a small create load: every acknowledged create ends, and each instance it
/// made RUNNING holds its allocation on its server and is run by that server's agent (issue 16: instances RUNNING that
/// nothing ran, after storage errors were taken for agent failures).
/// </summary>
[Collection(ClusterCollection.Name), Trait("Category", "Cluster")]
public sealed class PostgresRestartTests(LocalCluster cluster, ITestOutputHelper output)
{
    [Fact]
    public async Task Every_create_acknowledged_across_a_database_restart_ends_with_its_allocation_and_its_agent()
    {
        const int total = 120;
        const string tenant = "pg-restart";
        await cluster.CreateTenantAsync(tenant, 10_000, "france-centre");
        var acknowledged = new ConcurrentDictionary<int, Operation>();
        var unanswered = new ConcurrentDictionary<int, StatusCode>();
        var restart = new TaskCompletionSource();
        var next = -1;
        async Task Worker()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                var request = new CreateInstanceRequest
                {
                    RequestId = $"pg-restart-{i}", TenantId = tenant, Name = $"vm-{i}", Size = "Standard_D2s_v5", Region = "france-centre",
                };
                try
                {
                    acknowledged[i] = await Calls.RetryAsync(i % LocalCluster.Silos + 1,
                        silo => cluster.Provisioning(silo).CreateInstanceAsync(request, deadline: Calls.Deadline()).ResponseAsync);
                }
                catch (RpcException e)
                {
                    unanswered[i] = e.StatusCode;
                }
                if (acknowledged.Count >= total / 4) restart.TrySetResult();
            }
        }

        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(Worker)).ToList();
        await restart.Task.WaitAsync(TimeSpan.FromMinutes(2));
        var restarting = Stopwatch.StartNew();
        await cluster.RestartPostgresAsync();
        var restarted = restarting.Elapsed;
        await Task.WhenAll(workers);

        Assert.True(acknowledged.Count > total / 4, $"only {acknowledged.Count} of {total} creates acknowledged; unanswered: {string.Join(", ", unanswered.Values)}");
        var ended = await Task.WhenAll(acknowledged.Values.Select(o => cluster.WaitTerminalAsync(o.Id, TimeSpan.FromSeconds(60))));
        Assert.All(ended, o => Assert.True(o.State is OperationState.Succeeded or OperationState.Failed, $"{o.Id} is still {o.State}"));

        output.WriteLine($"PostgreSQL restarted in {restarted.TotalSeconds:F1} s; {acknowledged.Count} of {total} creates acknowledged, " +
            $"{ended.Count(o => o.State == OperationState.Succeeded)} succeeded, {ended.Count(o => o.State == OperationState.Failed)} failed; " +
            $"unanswered after retries: {string.Join(", ", unanswered.Values.GroupBy(c => c).Select(g => $"{g.Key} x{g.Count()}"))}");
        var instances = (await cluster.ListInstancesAsync(tenant)).ToDictionary(i => i.Id);
        var problems = new List<string>();
        foreach (var instance in instances.Values.Where(i => i.State == InstanceState.Running))
        {
            var server = await Calls.RetryAsync(1, silo => cluster.Topology(silo).GetServerAsync(new GetServerRequest { Id = instance.ServerId }, deadline: Calls.Deadline()).ResponseAsync);
            if (server.Allocations.All(a => a.InstanceId != instance.Id)) problems.Add($"{instance.Id} is RUNNING but {instance.ServerId} holds no allocation for it");
            var runs = await cluster.Agents.ListInstancesAsync(new AgentListInstancesRequest { ServerId = instance.ServerId }, deadline: Calls.Deadline());
            if (runs.Instances.All(r => r.InstanceId != instance.Id)) problems.Add($"{instance.Id} is RUNNING but the agent of {instance.ServerId} does not run it");
        }
        foreach (var operation in ended.Where(o => o.State == OperationState.Succeeded))
        {
            if (!instances.TryGetValue(operation.InstanceId, out var instance) || instance.State != InstanceState.Running)
            {
                problems.Add($"{operation.Id} SUCCEEDED but its instance {operation.InstanceId} is not RUNNING");
            }
        }
        Assert.Empty(problems);
    }
}
