using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Billing;
using ControlPlane.Grains.Instances;
using ControlPlane.Grains.Operations;
using ControlPlane.Grains.Servers;
using ControlPlane.Grains.Tenants;
using ControlPlane.Grains.Abstractions.Billing;
using ControlPlane.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace ControlPlane.Grains.Tests.Operations;

/// <summary>
/// Storage that fails a write, as PostgreSQL does while it restarts: the caller is answered UNAVAILABLE (STORAGE_UNAVAILABLE)
/// and retries with the same request_id, the failure is never taken for the agent's, and every create ends as storage
/// holds it: SUCCEEDED, its instance RUNNING on a server that holds its allocation and whose agent runs it.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StorageFaultTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    /// <summary>Each write a create makes, in order: the one the fault takes.</summary>
    public static TheoryData<string> Writes() =>
    [
        "operation-pending", "tenant-admits", "instance-recorded", "server-reserves", "instance-placed", "operation-running",
        "instance-running", "metering-starts", "operation-succeeded",
    ];

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task A_storage_failure_at_any_write_of_a_create_answers_unavailable_and_the_create_ends_as_stored(string write)
    {
        var tenant = $"sf-{write}";
        await _grains.TenantAsync(tenant, Provision.Quota(64), "wfi");
        using var fault = FailOnce(write, tenant);

        var (acknowledged, refusals) = await CreateRetryingAsync(new CreateInstanceCommand($"sf-{write}-1", tenant, "web-1", "s4", "wfi", ""));
        var done = await TerminalAsync(acknowledged.Id);

        Assert.All(refusals, e => Assert.Equal((ErrorStatus.Unavailable, ErrorReasons.StorageUnavailable),
            Assert.IsType<ControlPlaneException>(e).Error is var error ? (error.Code, error.Reason) : default));
        Assert.Equal((OperationState.Succeeded, null), (done.State, done.Error));
        Assert.Equal(OperationState.Succeeded, (await StoredAsync(done.Id))?.State);
        await AssertRunsWhereHeldAsync(done.InstanceId);
        Assert.Equal(1, (await _grains.TenantOfAsync(tenant)).InstanceCount);
    }

    [Fact]
    public async Task An_operation_whose_first_write_fails_is_neither_stored_nor_listed_unfinished_and_its_retry_completes_it()
    {
        await _grains.TenantAsync("sf-first", Provision.Quota(64), "wfi");
        var command = new CreateInstanceCommand("sf-first-1", "sf-first", "web-1", "s4", "wfi", "");
        var grain = _grains.TenantOperation(command.TenantId, command.RequestId);
        using (FailOnce("operation-pending", "sf-first"))
        {
            await Provision.FailsAsync(() => grain.StartCreateAsync(command), ErrorStatus.Unavailable, ErrorReasons.StorageUnavailable);
        }
        var listedAfterFailure = await UnfinishedAsync();
        var stored = await StoredAsync(grain.GetPrimaryKeyString());
        var done = await TerminalAsync((await grain.StartCreateAsync(command)).Id);

        Assert.Null(stored);
        Assert.DoesNotContain(grain.GetPrimaryKeyString(), listedAfterFailure);
        Assert.Equal(OperationState.Succeeded, done.State);
        Assert.DoesNotContain(done.Id, await UnfinishedAsync());
        await AssertRunsWhereHeldAsync(done.InstanceId);
    }

    [Fact]
    public async Task An_operation_interrupted_by_a_failed_write_stays_listed_unfinished_and_the_recovery_sweep_completes_it_with_no_call()
    {
        await _grains.TenantAsync("sf-sweep", Provision.Quota(64), "wfi");
        var command = new CreateInstanceCommand("sf-sweep-1", "sf-sweep", "web-1", "s4", "wfi", "");
        var grain = _grains.TenantOperation(command.TenantId, command.RequestId);
        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        OperationInfo acknowledged;
        using (fixture.StorageFaults.FailWrites("operation", (_, s) =>
            s is OperationGrainState { Operation: { TenantId: "sf-sweep", State: OperationState.Succeeded } } && failed.TrySetResult() is var _))
        {
            acknowledged = await grain.StartCreateAsync(command);
            // The agent's work follows the answer, and its last write fails: the operation is left RUNNING, interrupted.
            await failed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        var listed = await UnfinishedAsync();
        // Nothing calls the operation from here on: only the sweep can end it.
        await Until(async () => await StoredAsync(acknowledged.Id) is { IsTerminal: true }, $"{acknowledged.Id} was not resumed by the sweep");

        Assert.Contains(acknowledged.Id, listed);
        Assert.Equal(OperationState.Succeeded, (await StoredAsync(acknowledged.Id))!.State);
        Assert.DoesNotContain(acknowledged.Id, await UnfinishedAsync());
        await AssertRunsWhereHeldAsync(acknowledged.InstanceId);
    }

    [Fact]
    public void A_terminal_operation_is_never_written_again()
    {
        var at = DateTimeOffset.UtcNow;
        var running = new OperationInfo("op-guard", "r", OperationKind.CreateInstance, OperationState.Running, "i-guard", "t", null, at, at, null, false);
        var succeeded = running with { State = OperationState.Succeeded, EndTime = at };

        Assert.True(OperationGrain.MayStore(null, running with { State = OperationState.Pending }));
        Assert.True(OperationGrain.MayStore(running, succeeded));
        Assert.False(OperationGrain.MayStore(succeeded, running));
        Assert.False(OperationGrain.MayStore(succeeded, succeeded with { State = OperationState.Failed }));
        Assert.False(OperationGrain.MayStore(running with { State = OperationState.Failed }, running));
    }

    /// <summary>Fails the first write named <paramref name="write"/> of <paramref name="tenant"/>'s create.</summary>
    private IDisposable FailOnce(string write, string tenant)
    {
        var faults = fixture.StorageFaults;
        bool Operation(object? s, OperationState state) => s is OperationGrainState { Operation: { } o } && o.TenantId == tenant && o.State == state;
        bool Instance(object? s, Func<InstanceInfo, bool> when) => s is InstanceGrainState { Instance: { } i } && i.TenantId == tenant && when(i);
        return write switch
        {
            "operation-pending" => faults.FailWrites("operation", (_, s) => Operation(s, OperationState.Pending)),
            "operation-running" => faults.FailWrites("operation", (_, s) => Operation(s, OperationState.Running)),
            "operation-succeeded" => faults.FailWrites("operation", (_, s) => Operation(s, OperationState.Succeeded)),
            "tenant-admits" => faults.FailWrites(TenantGrain.InstancePagesState, (id, _) => Page(id, tenant)),
            "instance-recorded" => faults.FailWrites("instance", (_, s) => Instance(s, i => i.ServerId.Length == 0)),
            "server-reserves" => faults.FailWrites("server", (_, s) => s is ServerState server && server.Allocations.Values.Any(a => a.TenantId == tenant)),
            "instance-placed" => faults.FailWrites("instance", (_, s) => Instance(s, i => i.ServerId.Length > 0 && i.State == InstanceState.Provisioning)),
            "instance-running" => faults.FailWrites("instance", (_, s) => Instance(s, i => i.State == InstanceState.Running)),
            "metering-starts" => faults.FailWrites(MeteringGrain.RecordPagesState, (id, s) => Page(id, tenant) && s is EntryPage<UsageRecord> { Entries.Count: > 0 }),
            _ => throw new ArgumentOutOfRangeException(nameof(write), write, "no such write"),
        };
    }

    /// <summary>A page of <paramref name="tenant"/>'s entries (<see cref="EntryPages{T}"/>).</summary>
    private static bool Page(GrainId id, string tenant) => id.Key.ToString()!.StartsWith(tenant + "/", StringComparison.Ordinal);

    /// <summary>The create as a client sends it: a call not answered with a refusal is sent again, with the same request_id.</summary>
    private async Task<(OperationInfo Acknowledged, List<Exception> Unanswered)> CreateRetryingAsync(CreateInstanceCommand command)
    {
        var unanswered = new List<Exception>();
        while (true)
        {
            try
            {
                return (await _grains.TenantOperation(command.TenantId, command.RequestId).StartCreateAsync(command), unanswered);
            }
            catch (Exception e) when (e is not ControlPlaneException { Error.Code: not ErrorStatus.Unavailable } && unanswered.Count < 5)
            {
                unanswered.Add(e);
            }
        }
    }

    private async Task<OperationInfo> TerminalAsync(string operationId)
    {
        var grain = _grains.GetGrain<IOperationGrain>(operationId);
        OperationInfo? operation = null;
        await Until(async () => (operation = await grain.WaitAsync(TimeSpan.FromSeconds(2))) is { IsTerminal: true },
            $"operation {operationId} is not terminal");
        return operation!;
    }

    /// <summary>The instance is RUNNING, its server holds its allocation, and that server's agent runs it.</summary>
    private async Task AssertRunsWhereHeldAsync(string instanceId)
    {
        var instance = await _grains.InstanceAsync(instanceId);
        Assert.Equal(InstanceState.Running, instance.State);
        Assert.Contains(instanceId, await _grains.HeldOnAsync(instance.ServerId));
        Assert.Contains(instanceId, await fixture.Agents.ListInstancesAsync(instance.ServerId, CancellationToken.None));
    }

    /// <summary>The operation as storage holds it, read past its activation.</summary>
    private async Task<OperationInfo?> StoredAsync(string operationId)
    {
        var stored = new GrainState<OperationGrainState>();
        await fixture.Silo.GetRequiredKeyedService<IGrainStorage>(StorageNames.State)
            .ReadStateAsync("operation", _grains.GetGrain<IOperationGrain>(operationId).GetGrainId(), stored);
        return stored.State?.Operation;
    }

    /// <summary>What storage lists unfinished, whatever its age.</summary>
    private async Task<string[]> UnfinishedAsync() =>
        [.. (await fixture.Silo.GetRequiredService<IUnfinishedOperations>().ListAsync(DateTimeOffset.MaxValue, null, int.MaxValue, CancellationToken.None))
            .Select(o => o.Key)];

    private static async Task Until(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail(failure);
            await Task.Delay(50);
        }
    }
}
