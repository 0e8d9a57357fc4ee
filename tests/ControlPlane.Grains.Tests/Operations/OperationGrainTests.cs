using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Operations;
using ControlPlane.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace ControlPlane.Grains.Tests.Operations;

/// <summary>The engine: every kind has its workflow, and an operation of a kind none runs ends FAILED, never run as another kind.</summary>
[Collection(ClusterCollection.Name)]
public sealed class OperationGrainTests(ClusterFixture fixture)
{
    private const OperationKind Unknown = (OperationKind)99;

    private readonly IGrainFactory _grains = fixture.Grains;

    /// <summary>Stores an operation as another version of the control plane might have left it, before its grain is activated.</summary>
    private async Task StoreAsync(IOperationGrain grain, OperationGrainState stored) =>
        await fixture.Silo.GetRequiredKeyedService<IGrainStorage>(StorageNames.State)
            .WriteStateAsync("operation", grain.GetGrainId(), new GrainState<OperationGrainState>(stored));

    private static OperationInfo Stored(string id, string requestId, OperationState state, string tenantId, string instanceId)
    {
        var at = DateTimeOffset.UtcNow;
        return new OperationInfo(id, requestId, Unknown, state, instanceId, tenantId, null, at, at, null, false);
    }

    [Fact]
    public void Every_kind_has_exactly_one_workflow_and_an_unknown_kind_has_none()
    {
        var workflows = fixture.Silo.GetRequiredService<OperationWorkflows>();

        Assert.All(Enum.GetValues<OperationKind>(), kind => Assert.Equal(kind, workflows.Find(kind)?.Kind));
        Assert.Null(workflows.Find(Unknown));
        Assert.Equal(OperationKind.MoveInstance, workflows.Starting<MoveInstanceCommand>().Kind);
        Assert.Throws<InvalidOperationException>(() => workflows.Starting<string>());
    }

    [Fact]
    public async Task A_running_operation_of_an_unknown_kind_ends_failed_when_it_resumes()
    {
        var grain = _grains.GetGrain<IOperationGrain>("op-wf-unknown-running");
        await StoreAsync(grain, new OperationGrainState { Operation = Stored(grain.GetPrimaryKeyString(), "", OperationState.Running, "wf-unknown", "i-wf-unknown") });

        await grain.ResumeAsync();
        var done = await _grains.WaitAsync((await grain.GetAsync())!);

        Assert.Equal((Unknown, OperationState.Failed, false), (done.Kind, done.State, done.Rejected));
        Assert.Equal((ErrorStatus.FailedPrecondition, ErrorReasons.UnknownOperationKind), (done.Error!.Code, done.Error.Reason));
        Assert.Equal(("99", done.Id), (done.Error.Metadata["kind"], done.Error.Metadata["operation_id"]));
    }

    [Fact]
    public async Task An_unfinished_operation_goes_on_as_soon_as_anything_reads_it_before_any_sweep()
    {
        // Stored straight into storage a moment ago: no recovery sweep takes it yet (it waits a RecoveryPeriod), the read does.
        var grain = _grains.GetGrain<IOperationGrain>("op-wf-unknown-no-reminder");
        await StoreAsync(grain, new OperationGrainState { Operation = Stored(grain.GetPrimaryKeyString(), "", OperationState.Running, "wf-unknown", "i-wf-unknown-nr") });

        var read = await grain.GetAsync();
        var done = await _grains.WaitAsync(read!);

        Assert.Equal((OperationState.Failed, ErrorReasons.UnknownOperationKind), (done.State, done.Error!.Reason));
    }

    [Fact]
    public async Task An_unfinished_operation_woken_by_a_call_without_a_caller_goes_on_as_the_platforms_own_work()
    {
        // A recovery sweep or a reminder tick activates the grain with no caller in the request context; the resume must not be refused for it.
        var grain = _grains.GetGrain<IOperationGrain>("op-wf-unknown-no-caller");
        await StoreAsync(grain, new OperationGrainState { Operation = Stored(grain.GetPrimaryKeyString(), "", OperationState.Running, "wf-unknown", "i-wf-unknown-nc") });
        using (Callers.None())
        {
            await Provision.FailsAsync(() => grain.GetAsync(), ErrorStatus.Unauthenticated, ErrorReasons.CallerRequired);
        }

        var done = await _grains.WaitAsync((await grain.GetAsync())!);

        Assert.Equal((OperationState.Failed, ErrorReasons.UnknownOperationKind), (done.State, done.Error!.Reason));
    }

    [Fact]
    public async Task A_retried_request_whose_pending_operation_is_of_an_unknown_kind_gets_it_failed_and_nothing_is_created()
    {
        await _grains.TenantAsync("wf-unknown", Provision.Quota(64), "wfi");
        var command = new CreateInstanceCommand("wf-unknown-1", "wf-unknown", "web-1", "s4", "wfi", "wfi-a");
        var grain = _grains.TenantOperation(command.TenantId, command.RequestId);
        await StoreAsync(grain, new OperationGrainState
        {
            Operation = Stored(grain.GetPrimaryKeyString(), command.RequestId, OperationState.Pending, command.TenantId, "i-wf-unknown-1"),
            Instance = new InstanceInfo("i-wf-unknown-1", command.TenantId, command.Name, "s4", new(4, 4096, 0), "wfi", "wfi-a", "",
                InstanceState.Provisioning, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow),
            Fingerprint = command.Fingerprint,
        });

        var answer = await grain.StartCreateAsync(command);

        Assert.Equal((Unknown, OperationState.Failed, ErrorReasons.UnknownOperationKind), (answer.Kind, answer.State, answer.Error!.Reason));
        Assert.Null(await _grains.GetGrain<IInstanceGrain>("i-wf-unknown-1").GetAsync());
        Assert.Equal((0, 0L), ((await _grains.TenantOfAsync("wf-unknown")).InstanceCount, (await _grains.TenantOfAsync("wf-unknown")).Usage.Cores));
    }

    [Fact]
    public async Task A_listing_shows_an_operation_as_it_is_when_its_index_missed_its_last_change()
    {
        var grain = _grains.GetGrain<IOperationGrain>("op-index-missed-last-change");
        var done = Stored(grain.GetPrimaryKeyString(), "r-missed", OperationState.Succeeded, "index-missed", "i-index-missed") with { Kind = OperationKind.CreateInstance };
        await StoreAsync(grain, new OperationGrainState { Operation = done });
        await _grains.GetGrain<IOperationIndexGrain>(OperationIndex.TenantKey("index-missed"))
            .RecordAsync([done with { State = OperationState.Running }]);

        var running = await _grains.ListAsync("index-missed", new OperationFilter(OperationState.Running, null), 10, "");
        var all = await _grains.ListAsync("index-missed", new OperationFilter(null, null), 10, "");

        Assert.Empty(running.Items);
        Assert.Equal(OperationState.Succeeded, Assert.Single(all.Items).State);
    }
}
