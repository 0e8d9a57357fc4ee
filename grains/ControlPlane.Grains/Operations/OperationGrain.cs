using System.Diagnostics;
using ControlPlane.Grains.Abstractions.Billing;
using ControlPlane.Grains.Abstractions.Catalogue;
using ControlPlane.Grains.Abstractions.DisasterRecovery;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Regions;
using ControlPlane.Grains.Abstractions.Scheduling;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Abstractions.Tenants;
using ControlPlane.Grains.Abstractions.Zones;
using ControlPlane.Grains.Access;
using ControlPlane.Grains.Agents;
using ControlPlane.Grains.Catalogue;
using ControlPlane.Grains.Instances;
using ControlPlane.Grains.Services;
using ControlPlane.Grains.Storage;
using ControlPlane.Grains.Telemetry;
using ControlPlane.Grains.Topology;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Grains.Operations;

/// <summary>
/// One request (key: <see cref="Requests.OperationId"/> of its request_id, so that a retry reaches
/// the same grain): the first call validates and starts the operation, a repeat with the same body
/// returns it, a repeat with another body is refused. Drives the create or delete through its
/// phases. The operation is written PENDING, with a
/// reminder that wakes it until it ends, before anything else happens; each phase is idempotent,
/// so an operation interrupted by a crash is simply run again from its recorded phase.
/// Admission (quota, placement) completes before the call returns, so a refusal reaches the
/// caller as an error; the agent's work follows the acknowledgement.
/// </summary>
public sealed partial class OperationGrain(
    SizeCatalog sizes,
    PlatformTopology topology,
    OfferCatalogue offers,
    CreateInstanceValidator validator,
    OrderServiceValidator orders,
    TopologySync sync,
    IServerAgentClient agents,
    AgentCallPipeline agentCalls,
    TimeProvider clock,
    IOptions<OperationOptions> options,
    ILogger<OperationGrain> logger,
    [PersistentState("operation", StorageNames.State)] IPersistentState<OperationGrainState> state) : Grain, IOperationGrain, IRemindable
{
    private const string RecoveryReminder = "resume";

    private TaskCompletionSource? _terminal;

    /// <summary>The recovery reminder as this activation registered it; looked up only when another activation did.</summary>
    private IGrainReminder? _reminder;

    private OperationInfo Operation => state.State.Operation!;
    private InstanceInfo Instance => state.State.Instance!;

    public async Task<OperationInfo> StartCreateAsync(CreateInstanceCommand command)
    {
        await Guard.TenantAsync(GrainFactory, command.TenantId, write: true);
        InstanceSize? size = null;
        var resuming = await BindAsync(command.Fingerprint, async () =>
        {
            await sync.EnsureKnownAsync(command.Region, command.Zone);
            size = validator.Validate(command);
        });
        if (!resuming)
        {
            var instanceId = NewId("i-");
            var now = clock.GetUtcNow();
            await BeginAsync(
                new OperationInfo(this.GetPrimaryKeyString(), command.RequestId, OperationKind.CreateInstance,
                    OperationState.Pending, instanceId, command.TenantId, null, now, now, null, false, CurrentTraceId()),
                new InstanceInfo(instanceId, command.TenantId, command.Name, size!.Name, size.Resources,
                    command.Region, command.Zone, "", InstanceState.Provisioning, now, now, this.GetPrimaryKeyString())
                {
                    AntiAffinityGroup = command.AntiAffinityGroup,
                    AntiAffinityScope = AntiAffinity.ScopeOf(command.AntiAffinityGroup, command.AntiAffinityScope),
                },
                size.GpuModel);
        }
        return await AcknowledgeAsync(resuming);
    }

    public async Task<OperationInfo> StartDeleteAsync(DeleteInstanceCommand command)
    {
        InstanceInfo? record = null;
        var records = GrainFactory.GetGrain<IInstanceGrain>(command.InstanceId);
        await Guard.TenantOfAsync(GrainFactory, async () => (record = await records.GetAsync())?.TenantId);
        var resuming = await BindAsync(command.Fingerprint, () => Task.CompletedTask);
        if (!resuming)
        {
            var now = clock.GetUtcNow();
            record ??= await records.GetAsync();
            var tenantId = record?.TenantId ?? "";
            await BeginAsync(
                new OperationInfo(this.GetPrimaryKeyString(), command.RequestId, OperationKind.DeleteInstance,
                    OperationState.Pending, command.InstanceId, tenantId, null, now, now, null, false, CurrentTraceId()),
                new InstanceInfo(command.InstanceId, tenantId, "", "", ResourceAmount.Zero, "", "", "", InstanceState.Deleting, now, now)
                {
                    ServiceId = record?.ServiceId ?? "",
                },
                "");
        }
        return await AcknowledgeAsync(resuming);
    }

    public async Task<OperationInfo> StartMoveAsync(MoveInstanceCommand command)
    {
        var resuming = state.State.Operation is not null;
        if (!resuming)
        {
            var instance = await GrainFactory.GetGrain<IInstanceGrain>(command.InstanceId).GetAsync() ?? throw Failures.InstanceNotFound(command.InstanceId);
            var now = clock.GetUtcNow();
            state.State.FromServerId = command.FromServerId;
            state.State.FromZone = instance.Zone;
            state.State.Live = command.Live;
            state.State.TargetRegion = command.TargetRegion;
            state.State.PreferServerId = command.PreferServerId;
            await BeginAsync(
                new OperationInfo(this.GetPrimaryKeyString(), "", OperationKind.MoveInstance,
                    OperationState.Pending, instance.Id, instance.TenantId, null, now, now, null, false, CurrentTraceId()),
                instance, sizes.Find(instance.Size)?.GpuModel ?? "");
        }
        return await AcknowledgeAsync(resuming);
    }

    public Task<OperationInfo?> GetAsync() => Task.FromResult(state.State.Operation);

    public async Task<OperationInfo?> WaitAsync(TimeSpan timeout)
    {
        if (state.State.Operation is not { IsTerminal: false }) return state.State.Operation;
        _terminal ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await Task.WhenAny(_terminal.Task, Task.Delay(timeout, clock));
        return state.State.Operation;
    }

    public async Task ResumeAsync()
    {
        if (state.State.Operation is not { IsTerminal: false } operation) return;
        if (operation.State == OperationState.Pending)
        {
            try
            {
                await AdmitAsync(resuming: true);
            }
            catch (ControlPlaneException)
            {
                return;
            }
        }
        await CompleteAsync();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (state.State.Operation is { IsTerminal: true })
        {
            // Left by an end whose unregistration failed: nothing more to wake up for.
            if (await this.GetReminder(RecoveryReminder) is { } reminder) await this.UnregisterReminder(reminder);
            return;
        }
        await ResumeAsync();
    }

    /// <summary>
    /// True when this request already started the operation (a retry: it resumes); otherwise validates
    /// the request and binds its body to the operation, which the first write then stores.
    /// </summary>
    private async Task<bool> BindAsync(string fingerprint, Func<Task> validate)
    {
        if (state.State.Operation is not null)
        {
            if (state.State.Fingerprint != fingerprint)
            {
                throw DomainError.Of(ErrorStatus.AlreadyExists, ErrorReasons.IdempotencyKeyReused,
                    $"request_id '{Operation.RequestId}' was already used for a different request (operation {Operation.Id}); use a new request_id",
                    ("request_id", Operation.RequestId), ("operation_id", Operation.Id)).ToException();
            }
            return true;
        }
        await validate();
        state.State.Fingerprint = fingerprint;
        return false;
    }

    private static string NewId(string prefix) => prefix + Guid.NewGuid().ToString("N")[..20];

    private static string CurrentTraceId() => Activity.Current is { } activity ? activity.TraceId.ToHexString() : "";

    private Activity? StartSpan(string name, ActivityKind kind = ActivityKind.Internal)
    {
        var activity = ControlPlaneTelemetry.Source.StartActivity(name, kind);
        if (activity is null) return null;
        var instance = state.State.Instance;
        activity.SetTag(ControlPlaneTelemetry.Tags.Operation, Operation.Id);
        activity.SetTag(ControlPlaneTelemetry.Tags.Kind, Operation.Kind.ToString());
        activity.SetTag(ControlPlaneTelemetry.Tags.Tenant, Operation.TenantId);
        activity.SetTag(ControlPlaneTelemetry.Tags.Instance, Operation.InstanceId);
        if (instance is not null)
        {
            activity.SetTag(ControlPlaneTelemetry.Tags.Size, instance.Size);
            activity.SetTag(ControlPlaneTelemetry.Tags.Region, instance.Region);
            activity.SetTag(ControlPlaneTelemetry.Tags.Zone, instance.Zone);
            activity.SetTag(ControlPlaneTelemetry.Tags.Server, instance.ServerId);
        }
        return activity;
    }

    private async Task BeginAsync(OperationInfo operation, InstanceInfo? instance, string gpuModel)
    {
        state.State.Operation = operation;
        state.State.Instance = instance;
        state.State.GpuModel = gpuModel;
        await state.PersistAsync(this);
        _reminder = await this.RegisterOrUpdateReminder(RecoveryReminder, options.Value.RecoveryPeriod, options.Value.RecoveryPeriod);
        Count(OperationState.Pending);
    }

    /// <summary>Runs admission if it has not run, then answers the caller: the operation, or the refusal.</summary>
    private async Task<OperationInfo> AcknowledgeAsync(bool resuming)
    {
        if (Operation.State == OperationState.Pending)
        {
            await AdmitAsync(resuming);
            this.AsReference<IOperationGrain>().ResumeAsync().Ignore();
        }
        return Operation is { Rejected: true, Error: { } error } ? throw error.ToException() : Operation;
    }

    /// <summary>PENDING → RUNNING: quota and capacity held for a create, the instance claimed for a delete; or FAILED.</summary>
    /// <param name="resuming">True when an earlier attempt may have got part of the way (a retry, a reminder).</param>
    private async Task AdmitAsync(bool resuming)
    {
        using var span = StartSpan("operation.admit");
        try
        {
            state.State.Instance = Operation.Kind switch
            {
                OperationKind.CreateInstance => await AdmitCreateAsync(resuming),
                OperationKind.DeleteInstance => await AdmitDeleteAsync(),
                OperationKind.CreateZoneRedundantInstances => await AdmitZoneRedundantAsync(resuming),
                OperationKind.OrderService => await AdmitOrderServiceAsync(resuming),
                OperationKind.CancelService => await AdmitCancelServiceAsync(),
                _ => await AdmitMoveAsync(),
            };
        }
        catch (ControlPlaneException e)
        {
            span?.SetTag(ControlPlaneTelemetry.Tags.Decision, e.Error.Reason);
            span?.SetStatus(ActivityStatusCode.Error, e.Error.Message);
            if (Operation.Kind == OperationKind.CreateInstance) await ForgetInstanceAsync(Instance);
            if (Operation.Kind == OperationKind.CreateZoneRedundantInstances) await ForgetMembersAsync();
            if (Operation.Kind == OperationKind.OrderService) await ForgetServiceAsync();
            if (Operation.Kind == OperationKind.MoveInstance)
            {
                await GrainFactory.GetGrain<IInstanceGrain>(Operation.InstanceId).AbandonMoveAsync(Operation.Id, e.Error.Message);
            }
            await FinishAsync(e.Error.With("operation_id", Operation.Id), rejected: true);
            throw new ControlPlaneException(Operation.Error!);
        }
        span?.SetTag(ControlPlaneTelemetry.Tags.Decision, "admitted");
        span?.SetTag(ControlPlaneTelemetry.Tags.Zone, state.State.Instance?.Zone);
        span?.SetTag(ControlPlaneTelemetry.Tags.Server, state.State.Instance?.ServerId);
        state.State.Operation = Operation with { State = OperationState.Running, UpdateTime = clock.GetUtcNow() };
        await state.PersistAsync(this);
        Count(OperationState.Running);
    }

    private async Task<InstanceInfo> AdmitCreateAsync(bool resuming)
    {
        var instance = Instance;
        await AdmitOfferAsync(instance.Size, instance.Region);
        await GrainFactory.GetGrain<ITenantGrain>(instance.TenantId).AdmitInstanceAsync(instance.Id, instance.Name, instance.Region, instance.Resources);
        var record = GrainFactory.GetGrain<IInstanceGrain>(instance.Id);
        await record.CreateAsync(instance);
        var region = GrainFactory.GetGrain<IRegionGrain>(instance.Region);
        // A placement made before an interruption is found again, never made twice.
        var placement = (resuming ? await region.FindAsync(instance.Id) : null) ?? await region.PlaceAsync(
            new PlacementRequest(instance.Id, instance.TenantId, instance.Size, instance.Resources, state.State.GpuModel, instance.Zone,
                AntiAffinityGroup: instance.AntiAffinityKey, AntiAffinityZones: instance.AntiAffinityScope == AntiAffinityScope.Zone));
        return await record.UpdateAsync(placement.Zone, placement.ServerId, InstanceState.Provisioning);
    }

    /// <summary>The size's offer admits the order in the region, or refuses it (OFFER_NOT_AVAILABLE) before anything is held.</summary>
    private Task AdmitOfferAsync(string size, string region) =>
        GrainFactory.GetGrain<IOfferGrain>(offers.OfferForSize(size)).AdmitOrderAsync(region);

    private async Task<InstanceInfo> AdmitDeleteAsync()
    {
        if (Instance.TenantId.Length == 0) throw Failures.InstanceNotFound(Instance.Id);
        if (Instance.ServiceId.Length > 0)
        {
            throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.InstanceOwnedByService,
                $"instance '{Instance.Id}' runs service '{Instance.ServiceId}': cancel the service (Services.CancelService) instead",
                ("instance_id", Instance.Id), ("service_id", Instance.ServiceId)).ToException();
        }
        return await GrainFactory.GetGrain<IInstanceGrain>(Instance.Id).BeginDeleteAsync(Operation.Id);
    }

    /// <summary>
    /// A move holds the instance (a new generation) and reserves its new server: in the zone it is
    /// in first, then anywhere in its region. The old server keeps its allocation until the end.
    /// </summary>
    private async Task<InstanceInfo> AdmitMoveAsync()
    {
        var claimed = await GrainFactory.GetGrain<IInstanceGrain>(Operation.InstanceId).BeginMoveAsync(Operation.Id, state.State.FromServerId, state.State.Live);
        var region = state.State.TargetRegion.Length > 0 ? state.State.TargetRegion : claimed.Region;
        var crossRegion = region != claimed.Region;
        var target = await GrainFactory.GetGrain<IRegionGrain>(region).PlaceAsync(
            new PlacementRequest(claimed.Id, claimed.TenantId, claimed.Size, claimed.Resources, state.State.GpuModel,
                crossRegion ? "" : state.State.FromZone, AvoidServerId: state.State.FromServerId, ZoneIsPreference: true,
                AntiAffinityGroup: claimed.AntiAffinityKey, AntiAffinityZones: claimed.AntiAffinityScope == AntiAffinityScope.Zone,
                PreferServerId: state.State.PreferServerId, Recovery: crossRegion));
        // A failover remembers the region the instance comes from; a failback to it forgets it.
        var home = !crossRegion ? claimed.HomeRegion : region == claimed.HomeRegion ? "" : claimed.HomeRegion.Length > 0 ? claimed.HomeRegion : claimed.Region;
        return claimed with { Region = region, Zone = target.Zone, ServerId = target.ServerId, HomeRegion = home };
    }

    /// <summary>RUNNING → SUCCEEDED or FAILED: the agent's part, then the books.</summary>
    private async Task CompleteAsync()
    {
        switch (Operation.Kind)
        {
            case OperationKind.CreateZoneRedundantInstances:
                await CompleteZoneRedundantAsync();
                return;
            case OperationKind.OrderService:
                await CompleteOrderServiceAsync();
                return;
            case OperationKind.CancelService:
                await CompleteCancelServiceAsync();
                return;
        }
        var instance = Instance;
        try
        {
            switch (Operation.Kind)
            {
                case OperationKind.CreateInstance:
                    await CallAgentAsync("agent.create_instance", instance.ServerId, ct => agents.CreateInstanceAsync(instance.ServerId, instance, "", ct));
                    state.State.Instance = await GrainFactory.GetGrain<IInstanceGrain>(instance.Id)
                        .UpdateAsync(instance.Zone, instance.ServerId, InstanceState.Running);
                    await StartMeteringAsync(instance);
                    break;
                case OperationKind.DeleteInstance:
                    // A failed server's instances are gone with it: nothing to ask its agent.
                    var server = await GrainFactory.GetGrain<IServerGrain>(instance.ServerId).GetUsageAsync();
                    if (server.Lifecycle != ServerLifecycle.Failed)
                    {
                        await CallAgentAsync("agent.delete_instance", instance.ServerId, ct => agents.DeleteInstanceAsync(instance.ServerId, instance.Id, ct));
                    }
                    await ForgetInstanceAsync(instance);
                    await GrainFactory.GetGrain<IMeteringGrain>(instance.TenantId).EndAsync(instance.Id, clock.GetUtcNow());
                    if (instance.DrProtected)
                    {
                        await GrainFactory.GetGrain<IDisasterRecoveryGrain>(instance.HomeRegion.Length > 0 ? instance.HomeRegion : instance.Region)
                            .UnprotectAsync(instance.Id, deleted: true);
                    }
                    break;
                default:
                    await CompleteMoveAsync(instance);
                    break;
            }
            await FinishAsync(null, rejected: false);
        }
        catch (Exception e) when (e is not ControlPlaneException and not OrleansException and not TimeoutException)
        {
            LogAgentFailed(logger, e, Operation.Id, instance.Id, instance.ServerId);
            GrainFactory.GetGrain<IServerGrain>(instance.ServerId).ReportAgentFailureAsync(e.Message).Ignore();
            await UndoAsync(instance, e.Message);
            await FinishAsync(DomainError.Of(ErrorStatus.Unavailable, ErrorReasons.Unavailable,
                $"the agent of server '{instance.ServerId}' failed: {e.Message}",
                ("operation_id", Operation.Id), ("server_id", instance.ServerId)), rejected: false);
        }
    }

    private async Task CompleteMoveAsync(InstanceInfo target)
    {
        var from = state.State.FromServerId;
        // Read before the call: a retried attempt runs off the grain's thread, where state cannot be read.
        var liveFrom = state.State.Live ? from : "";
        await CallAgentAsync("agent.create_instance", target.ServerId, ct => agents.CreateInstanceAsync(target.ServerId, target, liveFrom, ct));
        state.State.Instance = await GrainFactory.GetGrain<IInstanceGrain>(target.Id).CompleteMoveAsync(Operation.Id, target);
        if (state.State.Live)
        {
            try
            {
                await CallAgentAsync("agent.delete_instance", from, ct => agents.DeleteInstanceAsync(from, target.Id, ct));
            }
            catch (Exception e) when (e is not ControlPlaneException and not OrleansException)
            {
                // The copy left behind is a stray: the old server's reconciliation deletes it.
                LogAgentFailed(logger, e, Operation.Id, target.Id, from);
            }
        }
        await GrainFactory.GetGrain<IZoneGrain>(state.State.FromZone).ReleaseAsync(from, target.Id);
    }

    /// <summary>Opens the instance's usage record (kept from the first call: a replay never moves its start).</summary>
    private Task StartMeteringAsync(InstanceInfo instance) =>
        GrainFactory.GetGrain<IMeteringGrain>(instance.TenantId).StartAsync(
            new UsageRecord(instance.Id, offers.OfferForSize(instance.Size), instance.Region, clock.GetUtcNow(), null));

    /// <summary>After the agent failed for good: a create gives back what it held, a delete or a move gives the instance back.</summary>
    private async Task UndoAsync(InstanceInfo instance, string message)
    {
        switch (Operation.Kind)
        {
            case OperationKind.CreateInstance:
                await ForgetInstanceAsync(instance);
                break;
            case OperationKind.DeleteInstance:
                await GrainFactory.GetGrain<IInstanceGrain>(instance.Id).AbandonDeleteAsync(Operation.Id);
                break;
            default:
                await GrainFactory.GetGrain<IZoneGrain>(instance.Zone).ReleaseAsync(instance.ServerId, instance.Id);
                await GrainFactory.GetGrain<IInstanceGrain>(instance.Id).AbandonMoveAsync(Operation.Id, message);
                // The zone forgot where the instance is when it released the new server: tell it again.
                await GrainFactory.GetGrain<IZoneGrain>(state.State.FromZone).ServerChangedAsync(state.State.FromServerId);
                break;
        }
    }

    private async Task CallAgentAsync(string name, string serverId, Func<CancellationToken, Task> call)
    {
        using var span = StartSpan(name, ActivityKind.Client);
        try
        {
            await agentCalls.ExecuteAsync(serverId, async ct => await call(ct), CancellationToken.None);
        }
        catch (Exception e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            span?.AddException(e);
            throw;
        }
    }

    /// <summary>Releases whatever an instance holds: its server allocation, its record, its quota. Idempotent.</summary>
    private async Task ForgetInstanceAsync(InstanceInfo instance)
    {
        if (instance.TenantId.Length == 0) return;
        var placement = instance.ServerId.Length > 0 ? new Placement(instance.Zone, instance.ServerId)
            : instance.Region.Length > 0 ? await GrainFactory.GetGrain<IRegionGrain>(instance.Region).FindAsync(instance.Id) : null;
        if (placement is not null)
        {
            await GrainFactory.GetGrain<IZoneGrain>(placement.Zone).ReleaseAsync(placement.ServerId, instance.Id);
        }
        await GrainFactory.GetGrain<IInstanceGrain>(instance.Id).RemoveAsync();
        await GrainFactory.GetGrain<ITenantGrain>(instance.TenantId).ReleaseInstanceAsync(instance.Id);
    }

    private async Task FinishAsync(DomainError? error, bool rejected)
    {
        var now = clock.GetUtcNow();
        state.State.Operation = Operation with
        {
            State = error is null ? OperationState.Succeeded : OperationState.Failed,
            Error = error,
            Rejected = rejected,
            UpdateTime = now,
            EndTime = now,
        };
        await state.PersistAsync(this);
        Count(Operation.State);
        ControlPlaneTelemetry.ProvisioningDuration.Record((now - Operation.CreateTime).TotalSeconds,
            new KeyValuePair<string, object?>(ControlPlaneTelemetry.Tags.Kind, Operation.Kind.ToString()),
            new KeyValuePair<string, object?>(ControlPlaneTelemetry.Tags.Outcome, error?.Reason ?? "SUCCEEDED"));
        if ((_reminder ?? await this.GetReminder(RecoveryReminder)) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
            _reminder = null;
        }
        _terminal?.TrySetResult();
    }

    private void Count(OperationState reached) => ControlPlaneTelemetry.OperationTransitions.Add(1,
        new KeyValuePair<string, object?>(ControlPlaneTelemetry.Tags.Kind, Operation.Kind.ToString()),
        new KeyValuePair<string, object?>(ControlPlaneTelemetry.Tags.State, reached.ToString()));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operation {OperationId}: agent failed for instance {InstanceId} on server {ServerId}")]
    private static partial void LogAgentFailed(ILogger logger, Exception exception, string operationId, string instanceId, string serverId);
}
