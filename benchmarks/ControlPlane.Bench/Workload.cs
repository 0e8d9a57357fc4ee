using System.Collections.Concurrent;
using System.Diagnostics;
using ControlPlane.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace ControlPlane.Bench;

/// <summary>
/// The calls the benchmark makes and what they need: tenants created up front with room to spare,
/// creates spread over tenants and zones with unique request ids and names, and the deletion of
/// what the creates made so that every phase starts from the same free capacity.
/// </summary>
public sealed class Workload(Gateways gateways, BenchOptions options, TextWriter log)
{
    private static readonly Resources Unlimited = new() { Cores = 10_000_000, MemoryMib = 40_000_000_000, Gpus = 0 };

    private readonly ConcurrentQueue<Created> _created = new();
    private IReadOnlyList<Zone> _zones = [];
    private IReadOnlyList<string> _tenants = [];
    private long _sequence;
    private long _tenantSequence;
    private string? _single;

    public readonly record struct Created(string InstanceId, string OperationId);

    /// <summary>Distinguishes this run's tenants and request ids from any earlier run's on the same cluster.</summary>
    public string RunId { get; } = "b" + Guid.NewGuid().ToString("N")[..7];

    public IReadOnlyList<Zone> Zones => _zones;

    public int ServerCount => _zones.Sum(z => z.ServerCount);

    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        _zones = [.. (await gateways.Topology.ListZonesAsync(new ListZonesRequest(), Calls.Options(cancellationToken))).Zones.OrderBy(z => z.Id, StringComparer.Ordinal)];
        if (_zones.Count == 0) throw new BenchException("the cluster lists no zones");
        var regions = _zones.Select(z => z.Region).Distinct().ToList();
        _regions = regions;
        var tenants = Enumerable.Range(1, options.Tenants).Select(i => $"bench-{RunId}-{i:D5}").ToList();
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(tenants.Select((id, i) => (id, i)), Parallelism(cancellationToken),
            async (tenant, ct) => await NewTenantAsync(tenant.id, tenant.i, ct));
        _tenants = tenants;
        log.WriteLine($"  {tenants.Count:N0} tenants created in {watch.Elapsed.TotalSeconds:F1} s (run {RunId}); " +
            $"{_zones.Count} zones, {ServerCount:N0} servers");
    }

    /// <summary>One more tenant (a CreateTenant of the tenant-scaling mode).</summary>
    public Task CreateTenantAsync(int slot, CancellationToken cancellationToken) =>
        NewTenantAsync($"bench-{RunId}-t{Interlocked.Increment(ref _tenantSequence):D7}", slot, cancellationToken);

    /// <summary>From now on every create goes to <paramref name="tenantId"/> (created here), or, when null, over the tenants again.</summary>
    public async Task CreateIntoAsync(string? tenantId, CancellationToken cancellationToken)
    {
        if (tenantId is not null) await NewTenantAsync(tenantId, 0, cancellationToken);
        _single = tenantId;
    }

    private IReadOnlyList<string> _regions = [];

    private async Task NewTenantAsync(string id, int slot, CancellationToken cancellationToken)
    {
        var request = new CreateTenantRequest { Id = id, DisplayName = $"benchmark tenant {id}", Quota = Unlimited };
        request.AllowedRegions.AddRange(_regions);
        await gateways.Tenants(slot).CreateTenantAsync(request, Calls.Options(cancellationToken));
    }

    public Task PingAsync(int slot, CancellationToken cancellationToken) =>
        gateways.Diagnostics(slot).PingAsync(new PingRequest(), Calls.Options(cancellationToken)).ResponseAsync;

    /// <summary>A create for the next tenant and zone in turn; acknowledged when admission is done.</summary>
    public async Task CreateAsync(int slot, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _sequence);
        var zone = _zones[(int)(n % _zones.Count)];
        var request = new CreateInstanceRequest
        {
            RequestId = $"{RunId}-c-{n}",
            TenantId = _single ?? _tenants[(int)(n / _zones.Count % _tenants.Count)],
            Name = $"vm-{n}",
            Size = options.Size,
            Region = zone.Region,
            Zone = options.PlaceByRegion ? "" : zone.Id,
        };
        var operation = await gateways.Provisioning(slot).CreateInstanceAsync(request, Calls.Options(cancellationToken));
        _created.Enqueue(new Created(operation.InstanceId, operation.Id));
    }

    /// <summary>Instances held in every zone now.</summary>
    public async Task<long> InstanceCountAsync(CancellationToken cancellationToken) =>
        (await gateways.Topology.ListZonesAsync(new ListZonesRequest(), Calls.Options(cancellationToken))).Zones.Sum(z => (long)z.InstanceCount);

    /// <summary>Waits until the last operations acknowledged have ended (the agent's part done); returns how many had not.</summary>
    public async Task<int> WaitForLastOperationsAsync(int count, CancellationToken cancellationToken)
    {
        var last = _created.Reverse().Take(count).ToList();
        var unfinished = 0;
        await Parallel.ForEachAsync(last.Select((c, i) => (c, i)), Parallelism(cancellationToken), async (item, ct) =>
        {
            var operation = await gateways.Provisioning(item.i).WaitOperationAsync(
                new WaitOperationRequest { Id = item.c.OperationId, Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(50)) }, Calls.Options(ct));
            if (operation.State is not (OperationState.Succeeded or OperationState.Failed)) Interlocked.Increment(ref unfinished);
        });
        return unfinished;
    }

    /// <summary>
    /// Deletes every instance the creates made so far, then waits until the zones hold what they held
    /// before (<paramref name="baseline"/> instances): a delete frees capacity once its agent has answered.
    /// </summary>
    public async Task DeleteCreatedAsync(long baseline, CancellationToken cancellationToken)
    {
        var created = new List<Created>();
        while (_created.TryDequeue(out var c)) created.Add(c);
        var watch = Stopwatch.StartNew();
        var failed = 0;
        await Parallel.ForEachAsync(created.Select((c, i) => (c, i)), Parallelism(cancellationToken), async (item, ct) =>
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    // A refused request is remembered under its id: each attempt needs its own.
                    await gateways.Provisioning(item.i).DeleteInstanceAsync(
                        new DeleteInstanceRequest { RequestId = $"{RunId}-d-{item.c.InstanceId}-{attempt}", InstanceId = item.c.InstanceId }, Calls.Options(ct));
                    return;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition && attempt < 600 && !ct.IsCancellationRequested)
                {
                    await Task.Delay(50, ct); // INSTANCE_BUSY: its agent has not answered the create yet
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
                {
                    return;
                }
                catch (RpcException) when (!ct.IsCancellationRequested)
                {
                    Interlocked.Increment(ref failed);
                    return;
                }
            }
        });
        var remaining = await InstanceCountAsync(cancellationToken);
        var limit = Stopwatch.StartNew();
        while (remaining > baseline && limit.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(250, cancellationToken);
            remaining = await InstanceCountAsync(cancellationToken);
        }
        log.WriteLine($"  cleanup: {created.Count:N0} instances deleted in {watch.Elapsed.TotalSeconds:F1} s" +
            (failed > 0 ? $", {failed} deletes failed" : "") +
            (remaining > baseline ? $"; WARNING: the zones still hold {remaining - baseline:N0} more instances than before" : ""));
    }

    private ParallelOptions Parallelism(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken };
}
