using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Tenants;
using ControlPlane.Grains.Operations;
using ControlPlane.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace ControlPlane.Grains.Tests.Access;

/// <summary>
/// Every grain call names its principal: a call without a caller is refused by the silo before the grain
/// runs, while the platform's own work, which names a system caller, goes on.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CallerRequiredTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;
    private IAccessControlGrain Access => _grains.GetGrain<IAccessControlGrain>(IAccessControlGrain.Key);

    [Fact]
    public async Task A_call_without_a_caller_is_refused_before_the_grain_changes_anything_reads_included()
    {
        var intruder = new PrincipalRecord("cr-intruder", PrincipalKind.Person, "cr-intruder", Employers.Operator, "idf", default, "");
        using (Callers.None())
        {
            var refused = await Provision.FailsAsync(() => Access.BootstrapAsync([intruder], [new RoleAssignment("cr-intruder", Role.SecurityOfficer, Scopes.Platform, default, "")]),
                ErrorStatus.Unauthenticated, ErrorReasons.CallerRequired);
            Assert.Contains("BootstrapAsync", refused.Metadata[ErrorMetadata.Method]);
            await Provision.FailsAsync(() => Access.GetSnapshotAsync(), ErrorStatus.Unauthenticated, ErrorReasons.CallerRequired);
            await Provision.FailsAsync(() => _grains.GetGrain<ITenantGrain>("cr-none").GetAsync(), ErrorStatus.Unauthenticated, ErrorReasons.CallerRequired);
        }

        Assert.False((await Access.GetSnapshotAsync()).Principals.ContainsKey("cr-intruder"));
    }

    [Fact]
    public void The_rules_refuse_a_missing_caller_and_let_the_platforms_own_work_through()
    {
        var missing = Assert.Throws<ControlPlaneException>(() => AccessPolicy.Require(null, Permission.ManageAccess, Scopes.Platform));
        Assert.Equal((ErrorStatus.Unauthenticated, ErrorReasons.CallerRequired), (missing.Error.Code, missing.Error.Reason));
        Assert.Equal(AccessVerdict.Allowed, AccessPolicy.Require(Caller.System("test"), Permission.ManageAccess, Scopes.Platform));
        Assert.Equal(("system:test", true, true), (Caller.System("test").Principal, Caller.System("test").IsSystem, Caller.System("test").Roles.IsEmpty));
    }

    [Fact]
    public async Task An_interrupted_operation_woken_by_its_reminder_which_carries_no_caller_runs_to_its_end_as_the_platform()
    {
        await _grains.TenantAsync("cr-resume", Provision.Quota(64), "wfi");
        var command = new CreateInstanceCommand("cr-resume-1", "cr-resume", "web-1", "s4", "wfi", "wfi-a");
        var grain = _grains.TenantOperation(command.TenantId, command.RequestId);
        var at = DateTimeOffset.UtcNow;
        // As a silo that crashed right after writing the operation left it: PENDING, nothing admitted yet.
        await fixture.Silo.GetRequiredKeyedService<IGrainStorage>(StorageNames.State).WriteStateAsync("operation", grain.GetGrainId(),
            new GrainState<OperationGrainState>(new OperationGrainState
            {
                Operation = new OperationInfo(grain.GetPrimaryKeyString(), command.RequestId, OperationKind.CreateInstance, OperationState.Pending,
                    "i-cr-resume-1", command.TenantId, null, at, at, null, false),
                Instance = new InstanceInfo("i-cr-resume-1", command.TenantId, command.Name, "s4", new(4, 4096, 0), "wfi", "wfi-a", "",
                    InstanceState.Provisioning, at, at),
                Fingerprint = command.Fingerprint,
            }));

        using (Callers.None())
        {
            // What the reminder service delivers: no caller in the request context.
            await grain.AsReference<IRemindable>().ReceiveReminder("resume", new TickStatus(at.UtcDateTime, TimeSpan.FromMinutes(1), at.UtcDateTime));
        }
        var done = await _grains.WaitAsync((await grain.GetAsync())!);

        Assert.True(done.State == OperationState.Succeeded, done.Error?.Message);
        Assert.Equal(InstanceState.Running, (await _grains.InstanceAsync("i-cr-resume-1")).State);
    }
}
