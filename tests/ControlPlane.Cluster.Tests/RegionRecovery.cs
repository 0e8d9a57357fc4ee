using System.Diagnostics;
using ControlPlane.Contracts.V1;
using Grpc.Core;

namespace ControlPlane.Cluster.Tests;

/// <summary>
/// The steps of a disaster-recovery drill on France Centre, shared by the drill on one host and the
/// two-centre one: France Sud's role, protected instances, the four-eyes failover from Rennes, the
/// failback, and what the region's protection reports.
/// </summary>
public static class RegionRecovery
{
    public static readonly string[] CentreZones = ["fr-centre-1", "fr-centre-2", "fr-centre-3"];

    /// <summary>As in the platform's history: France Sud turns into France Centre's disaster-recovery region (or back to production).</summary>
    public static async Task SetSudRoleAsync(this LocalCluster cluster, RegionRole role, int first = 1)
    {
        try
        {
            await Calls.RetryAsync(first, silo => cluster.Topology(silo, "operator-rennes-1").SetRegionRoleAsync(new SetRegionRoleRequest
            {
                Region = "france-sud", Role = role, Actor = "drill", Reason = "disaster-recovery drill",
            }, deadline: Calls.Deadline()).ResponseAsync);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition && RpcReason(e) == "REGION_ROLE_UNCHANGED")
        {
        }
    }

    /// <summary>
    /// Creates <paramref name="protectedCount"/> + <paramref name="unprotectedCount"/> instances in France Centre for
    /// <paramref name="tenant"/>, each acknowledged and SUCCEEDED, and protects the first ones with a reservation in France Sud.
    /// </summary>
    public static async Task<(List<Operation> Acknowledged, List<string> Protected, List<string> Unprotected)> CreateProtectedAsync(
        this LocalCluster cluster, string tenant, int protectedCount, int unprotectedCount)
    {
        // Every silo follows the topology change log within seconds: wait until the silo of France Centre's recovery grain has it.
        Assert.True(await Calls.EventuallyAsync(async () => (await cluster.ProtectionAsync(1)).DrRegion == "france-sud", TimeSpan.FromSeconds(30)));
        await cluster.CreateTenantAsync(tenant, 400, "france-centre", "france-sud");
        var acknowledged = (await Task.WhenAll(Enumerable.Range(0, protectedCount + unprotectedCount).Select(async i =>
        {
            var request = new CreateInstanceRequest
            {
                RequestId = $"{tenant}-{i}", TenantId = tenant, Name = $"vm-{i}", Size = "Standard_D2s_v5", Region = "france-centre",
            };
            var operation = await Calls.RetryAsync(i % 2 + 1, silo => cluster.Provisioning(silo).CreateInstanceAsync(request, deadline: Calls.Deadline()).ResponseAsync);
            return await cluster.WaitTerminalAsync(operation.Id, TimeSpan.FromSeconds(60));
        }))).ToList();
        Assert.All(acknowledged, o => Assert.Equal(OperationState.Succeeded, o.State));
        var protectedIds = acknowledged.Take(protectedCount).Select(o => o.InstanceId).ToList();
        foreach (var id in protectedIds)
        {
            var protection = await Calls.RetryAsync(1, silo => cluster.Recovery(silo).SetInstanceProtectionAsync(
                new SetInstanceProtectionRequest { InstanceId = id, Protected = true }, deadline: Calls.Deadline()).ResponseAsync);
            // France Sud may have more zones than fr-sud-1 by now (the topology tests add one).
            Assert.True(protection.ReservedServerId.StartsWith("fr-sud-", StringComparison.Ordinal) && protection.DrRegion == "france-sud",
                $"{id}: reserved on '{protection.ReservedServerId}' in '{protection.DrRegion}' {protection.Problem}");
        }
        var before = await cluster.ProtectionAsync(1);
        Assert.Equal((DrMode.Normal, "france-sud"), (before.Mode, before.DrRegion));
        Assert.True(before.ReservedInstances >= protectedCount, $"{before.ReservedInstances} reserved");
        return (acknowledged, protectedIds, [.. acknowledged.Skip(protectedCount).Select(o => o.InstanceId)]);
    }

    /// <summary>
    /// Rennes operators fail France Centre over, four-eyes, as soon as the cluster has noticed the dead
    /// silos and recorded Rennes' takeover (before that, France Centre is not theirs to administer);
    /// a repeat finds the run already started.
    /// </summary>
    public static async Task StartFailoverAsync(this LocalCluster cluster)
    {
        var clock = Stopwatch.StartNew();
        var approval = await UntilAcceptedAsync(clock, () => cluster.Approvals(3, "operator-rennes-1").RequestApprovalAsync(new RequestApprovalRequest
        {
            Action = ApprovalAction.Failover, Target = "france-centre", Justification = "France Centre lost",
        }, deadline: Calls.Deadline()).ResponseAsync);
        await Assert.ThrowsAsync<RpcException>(() => cluster.Approvals(3, "operator-rennes-1").ApproveAsync(
            new DecideApprovalRequest { Id = approval.Id }, deadline: Calls.Deadline()).ResponseAsync);
        await UntilAcceptedAsync(clock, () => cluster.Approvals(3, "operator-rennes-2").ApproveAsync(
            new DecideApprovalRequest { Id = approval.Id }, deadline: Calls.Deadline()).ResponseAsync);
        Console.WriteLine($"failover approved (four-eyes, Rennes) {clock.Elapsed.TotalSeconds:0.0} s after the first attempt");

        var request = new RegionRecoveryRequest { Region = "france-centre", Reason = "France Centre lost", ApprovalId = approval.Id };
        try
        {
            await UntilAcceptedAsync(clock, () => cluster.Recovery(3, "operator-rennes-1").FailoverAsync(request, deadline: Calls.Deadline()).ResponseAsync);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
        {
            // A first attempt that timed out on the caller's side may have started the run.
            Assert.Contains((await cluster.ProtectionAsync(3)).Mode, new[] { DrMode.FailingOver, DrMode.FailedOver });
        }
        Console.WriteLine($"failover started {clock.Elapsed.TotalSeconds:0.0} s after the first attempt");
    }

    /// <summary>France Centre failed back (asked through <paramref name="first"/>'s gateway), then every protected instance home again.</summary>
    public static async Task<RegionProtection> FailbackAsync(this LocalCluster cluster, IReadOnlyCollection<string> protectedIds, int first = 1)
    {
        var clock = Stopwatch.StartNew();
        await Calls.RetryAsync(first, silo => cluster.Recovery(silo, "operator-idf-1").FailbackAsync(new RegionRecoveryRequest
        {
            Region = "france-centre", Actor = "drill", Reason = "France Centre restored",
        }, deadline: Calls.Deadline()).ResponseAsync);
        var returned = await Calls.EventuallyAsync(async () => (await cluster.ProtectionAsync(first)).Mode == DrMode.Normal, TimeSpan.FromMinutes(3));
        var back = await cluster.ProtectionAsync(first);
        Assert.True(returned, $"failback did not end: {back.LastRun}");
        Console.WriteLine($"failback: {back.LastRun.Done}/{back.LastRun.Total} instances back in France Centre after {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Empty(back.LastRun.Failed);
        Assert.All(await Task.WhenAll(protectedIds.Select(id => cluster.GetInstanceAsync(id))), i => Assert.Equal(("france-centre", ""), (i.Region, i.HomeRegion)));
        return back;
    }

    /// <summary>Whether every protected instance runs in France Sud within <paramref name="within"/>.</summary>
    public static Task<bool> WhenProtectedRunInSudAsync(this LocalCluster cluster, IEnumerable<string> protectedIds, TimeSpan within) =>
        Calls.EventuallyAsync(async () =>
        {
            var now = await Task.WhenAll(protectedIds.Select(id => cluster.GetInstanceAsync(id)));
            return now.All(i => i.Region == "france-sud" && i.State == InstanceState.Running);
        }, within);

    public static async Task WhenFailedOverAsync(this LocalCluster cluster) =>
        Assert.True(await Calls.EventuallyAsync(async () => (await cluster.ProtectionAsync(3)).Mode == DrMode.FailedOver, TimeSpan.FromMinutes(2)));

    public static Task<RegionProtection> ProtectionAsync(this LocalCluster cluster, int first) =>
        Calls.RetryAsync(first, silo => cluster.Recovery(silo).GetRegionProtectionAsync(new GetRegionProtectionRequest { Region = "france-centre" }, deadline: Calls.Deadline()).ResponseAsync);

    public static Task<Instance> GetInstanceAsync(this LocalCluster cluster, string id, int first = 3) =>
        Calls.RetryAsync(first, silo => cluster.Provisioning(silo).GetInstanceAsync(new GetInstanceRequest { Id = id }, deadline: Calls.Deadline()).ResponseAsync);

    public static string RpcReason(RpcException e) => e.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason ?? "";

    /// <summary>
    /// Repeats a call for up to 90 s while the cluster is still noticing the loss: unavailable, or Rennes not yet
    /// the pilot of France Centre. Each change of refusal is printed with its time since <paramref name="clock"/> started.
    /// </summary>
    private static async Task<T> UntilAcceptedAsync<T>(Stopwatch clock, Func<Task<T>> call)
    {
        var phase = Stopwatch.StartNew();
        var last = "";
        while (true)
        {
            try
            {
                return await call();
            }
            catch (RpcException e) when (phase.Elapsed < TimeSpan.FromSeconds(90)
                && (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown
                    || RpcReason(e) == "WRONG_OPS_CENTRE"))
            {
                var refusal = $"{e.StatusCode} {RpcReason(e)}";
                if (refusal != last)
                {
                    Console.WriteLine($"  {clock.Elapsed.TotalSeconds,6:0.0} s: refused {refusal} {Truncate(e.Status.Detail)}");
                    last = refusal;
                }
                await Task.Delay(500);
            }
        }
    }

    private static string Truncate(string text) => text.Length <= 160 ? text : text[..160] + "…";
}
