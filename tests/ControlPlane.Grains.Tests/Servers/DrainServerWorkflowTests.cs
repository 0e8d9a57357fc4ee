using ControlPlane.Domain.Servers;
using ControlPlane.Domain.Tests;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Servers;

namespace ControlPlane.Grains.Tests.Servers;

/// <summary>
/// The drain of a server as an operation (DrainServerWorkflow), started by the server's grain as an operator's
/// DrainServer starts it: in region "wfd" ("wfd-a", "wfd-b": 2 servers, "wfd-c": 1) and "wfe" (1 server).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class DrainServerWorkflowTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    private IServerGrain Server(string id) => _grains.GetGrain<IServerGrain>(id);

    /// <summary>A new tenant with <paramref name="count"/> instances of 4 cores in <paramref name="zone"/>.</summary>
    private async Task<InstanceInfo[]> CreateAsync(string tenant, string region, string zone, int count = 1)
    {
        await _grains.TenantAsync(tenant, Provision.Quota(64), region);
        var instances = new InstanceInfo[count];
        for (var i = 0; i < count; i++)
        {
            instances[i] = await _grains.InstanceAsync((await _grains.WaitAsync(await _grains.CreateAsync(tenant, $"web-{i + 1}", "s4", region, zone))).InstanceId);
        }
        return instances;
    }

    /// <summary>The other server of a 2-server zone than the one <paramref name="serverId"/> names: where its instances move to.</summary>
    private static string OtherServer(string zone, string serverId) => TestTopology.Server(zone, TestTopology.Server(zone, 0) == serverId ? 1 : 0);

    private async Task<OperationInfo> DrainOperationAsync(ServerDetails server)
    {
        Assert.NotEqual("", server.DrainOperationId);
        return (await _grains.GetGrain<IOperationGrain>(server.DrainOperationId).GetAsync())!;
    }

    [Fact]
    public async Task An_empty_server_is_drained_at_once_and_its_drain_operation_succeeds()
    {
        var serverId = TestTopology.Server("wfd-c");

        var drained = await Server(serverId).DrainAsync();
        var done = await _grains.WaitAsync(await DrainOperationAsync(drained));
        var again = await Server(serverId).DrainAsync();

        Assert.Equal(ServerLifecycle.Drained, drained.Lifecycle);
        Assert.Equal((OperationKind.DrainServer, OperationState.Succeeded, serverId, "", "", null),
            (done.Kind, done.State, done.ServerId, done.TenantId, done.InstanceId, done.Error));
        // A drained server answers the drain that drained it.
        Assert.Equal((drained.DrainOperationId, true), (again.DrainOperationId, again.DrainDone));
        await Server(serverId).UncordonAsync();
    }

    [Fact]
    public async Task A_drain_moves_every_instance_away_and_succeeds_once_the_server_is_empty_and_a_repeat_returns_the_same_operation()
    {
        var instances = await CreateAsync("wf-drain", "wfd", "wfd-a", count: 2);
        var serverId = instances[0].ServerId;
        var other = OtherServer("wfd-a", serverId);

        ServerDetails draining, repeated;
        using (fixture.Agents.Hold(other))
        {
            draining = await Server(serverId).DrainAsync();
            repeated = await Server(serverId).DrainAsync();
            Assert.Equal(OperationState.Running, (await DrainOperationAsync(draining)).State);
        }
        var done = await _grains.WaitAsync(await DrainOperationAsync(draining));
        var server = await Server(serverId).GetAsync();

        Assert.Equal(ServerLifecycle.Draining, draining.Lifecycle);
        Assert.Equal((draining.DrainOperationId, ServerLifecycle.Draining), (repeated.DrainOperationId, repeated.Lifecycle));
        Assert.Equal((OperationKind.DrainServer, OperationState.Succeeded, serverId), (done.Kind, done.State, done.ServerId));
        Assert.Equal((ServerLifecycle.Drained, draining.DrainOperationId, true), (server.Lifecycle, server.DrainOperationId, server.DrainDone));
        Assert.Empty(await _grains.HeldOnAsync(serverId));
        foreach (var before in instances.Where(i => i.ServerId == serverId))
        {
            var after = await _grains.InstanceAsync(before.Id);
            Assert.Equal((InstanceState.Running, other), (after.State, after.ServerId));
            Assert.Contains(before.Id, await _grains.HeldOnAsync(other));
        }
        await Server(serverId).UncordonAsync();
    }

    [Fact]
    public async Task A_server_uncordoned_while_it_drains_ends_its_drain_failed_and_the_next_drain_is_a_new_operation()
    {
        var serverId = (await CreateAsync("wf-drain-stop", "wfd", "wfd-b"))[0].ServerId;
        var other = OtherServer("wfd-b", serverId);

        OperationInfo interrupted;
        ServerDetails draining, uncordoned;
        using (fixture.Agents.Hold(other))
        {
            draining = await Server(serverId).DrainAsync();
            uncordoned = await Server(serverId).UncordonAsync();
            interrupted = await _grains.WaitAsync(await DrainOperationAsync(draining));
        }

        Assert.Equal((ServerLifecycle.Active, ""), (uncordoned.Lifecycle, uncordoned.DrainOperationId));
        Assert.Equal((OperationState.Failed, false), (interrupted.State, interrupted.Rejected));
        Assert.Equal((ErrorStatus.FailedPrecondition, ErrorReasons.DrainInterrupted), (interrupted.Error!.Code, interrupted.Error.Reason));
        Assert.Equal((serverId, "ACTIVE"), (interrupted.Error.Metadata["server_id"], interrupted.Error.Metadata["lifecycle"]));

        // The move already under way finishes; a new drain is another operation, and it succeeds.
        var next = await Server(serverId).DrainAsync();
        var done = await _grains.WaitAsync(await DrainOperationAsync(next));
        Assert.NotEqual(draining.DrainOperationId, next.DrainOperationId);
        Assert.Equal(OperationState.Succeeded, done.State);
        Assert.Equal(ServerLifecycle.Drained, (await Server(serverId).GetAsync()).Lifecycle);
        await Server(serverId).UncordonAsync();
    }

    [Fact]
    public async Task A_drain_with_nowhere_to_move_an_instance_fails_for_capacity_and_leaves_the_server_cordoned_with_it()
    {
        var instance = (await CreateAsync("wf-drain-full", "wfe", "wfe-a"))[0];

        var draining = await Server(instance.ServerId).DrainAsync();
        var failed = await _grains.WaitAsync(await DrainOperationAsync(draining));
        var server = await Server(instance.ServerId).GetAsync();
        var after = await _grains.InstanceAsync(instance.Id);

        Assert.Equal((OperationState.Failed, ErrorReasons.NoCapacity), (failed.State, failed.Error!.Reason));
        Assert.Equal((instance.ServerId, instance.Id), (failed.Error.Metadata["server_id"], failed.Error.Metadata["instance_id"]));
        Assert.Contains("cordoned again", failed.Error.Message);
        Assert.Equal((ServerLifecycle.Cordoned, "NoCapacity", ""), (server.Lifecycle, server.LifecycleReason, server.DrainOperationId));
        Assert.Equal((InstanceState.Running, instance.ServerId), (after.State, after.ServerId));
        Assert.Equal([instance.Id], await _grains.HeldOnAsync(instance.ServerId));
        await Server(instance.ServerId).UncordonAsync();
    }

    [Fact]
    public async Task A_drain_goes_on_from_storage_when_its_activation_is_lost()
    {
        var serverId = (await CreateAsync("wf-drain-lost", "wfd", "wfd-a"))[0].ServerId;
        var other = OtherServer("wfd-a", serverId);

        ServerDetails draining;
        using (fixture.Agents.Hold(other))
        {
            draining = await Server(serverId).DrainAsync();
            await _grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
            Assert.Equal(OperationState.Running, (await DrainOperationAsync(draining)).State);
        }
        var done = await _grains.WaitAsync(await DrainOperationAsync(draining));

        Assert.Equal(OperationState.Succeeded, done.State);
        Assert.Equal(ServerLifecycle.Drained, (await Server(serverId).GetAsync()).Lifecycle);
        await Server(serverId).UncordonAsync();
    }
}
