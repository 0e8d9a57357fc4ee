using System.Collections.Concurrent;
using System.Diagnostics;
using ControlPlane.Domain.Capacity;
using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Catalogue;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Tenants;

namespace ControlPlane.Grains.Tests.Catalogue;

/// <summary>Offer lifecycle and order gating (test catalogue: <see cref="TestTopology.Offers"/>).</summary>
[Collection(ClusterCollection.Name)]
public sealed class CatalogueTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    private IOfferGrain Offer(string id) => _grains.GetGrain<IOfferGrain>(id);

    [Fact]
    public async Task An_instance_size_in_qualification_is_refused_before_anything_is_held()
    {
        await _grains.TenantAsync("cat-qualif", Provision.Quota(64), "dr", "prod");

        var error = await Provision.FailsAsync(() => _grains.CreateAsync("cat-qualif", "vm", "c2", "dr"), ErrorStatus.FailedPrecondition, ErrorReasons.OfferNotAvailable);

        Assert.Equal("c2", error.Metadata["offer"]);
        Assert.Equal("dr", error.Metadata["region"]);
        Assert.Equal("qualification", error.Metadata["state"]);
        var operation = await _grains.GetGrain<IOperationGrain>(error.Metadata["operation_id"]).GetAsync();
        Assert.Equal(OperationState.Failed, operation!.State);
        var tenant = await _grains.GetGrain<ITenantGrain>("cat-qualif").GetAsync();
        Assert.Equal(ResourceAmount.Zero, tenant.Usage);
        Assert.Equal(0, tenant.InstanceCount);
        // In prod-b: prod-a belongs to the placement test that fills it.
        Assert.Equal(OperationState.Succeeded, (await _grains.WaitAsync(await _grains.CreateAsync("cat-qualif", "vm", "c2", "prod", "prod-b"))).State);
    }

    [Fact]
    public async Task A_size_not_offered_in_a_region_or_refused_as_a_zone_redundant_set_names_its_state()
    {
        await _grains.TenantAsync("cat-zr", Provision.Quota(64), "zr");

        var single = await Provision.FailsAsync(() => _grains.CreateAsync("cat-zr", "vm", "c2", "zr"), ErrorStatus.FailedPrecondition, ErrorReasons.OfferNotAvailable);
        var set = await Provision.FailsAsync(() => _grains.CreateZoneRedundantAsync("cat-zr", "db", "c2", "zr", 3), ErrorStatus.FailedPrecondition, ErrorReasons.OfferNotAvailable);

        Assert.Equal("not-offered", single.Metadata["state"]);
        Assert.Equal("not-offered", set.Metadata["state"]);
        Assert.Equal(0, (await _grains.GetGrain<ITenantGrain>("cat-zr").GetAsync()).InstanceCount);
    }

    [Theory]
    [InlineData("pg", OfferKind.Paas)]
    [InlineData("suite", OfferKind.OfficeSuite)]
    [InlineData("civil", OfferKind.Marketplace)]
    [InlineData("llm", OfferKind.AiService)]
    [InlineData("s4", OfferKind.InstanceSize)]
    public async Task Every_kind_of_offer_admits_orders_only_where_it_is_available(string id, OfferKind kind)
    {
        Assert.Equal(kind, (await Offer(id).GetAsync()).Kind);

        await Offer(id).AdmitOrderAsync("prod");
        if (kind == OfferKind.InstanceSize) return;
        var refactoring = await Provision.FailsAsync(() => Offer(id).AdmitOrderAsync("dr"), ErrorStatus.FailedPrecondition, ErrorReasons.OfferNotAvailable);
        var notOffered = await Provision.FailsAsync(() => Offer(id).AdmitOrderAsync("zr"), ErrorStatus.FailedPrecondition, ErrorReasons.OfferNotAvailable);
        Assert.Equal("refactoring", refactoring.Metadata["state"]);
        Assert.Equal("not-offered", notOffered.Metadata["state"]);
    }

    [Fact]
    public async Task The_lifecycle_only_moves_forward_and_every_change_is_recorded()
    {
        var offer = Offer("c2");

        await Provision.FailsAsync(() => offer.SetStateAsync("multi", OfferState.Available, "ops", "skip"), ErrorStatus.FailedPrecondition, ErrorReasons.OfferTransitionInvalid);
        await offer.SetStateAsync("multi", OfferState.Announced, "ops", "roadmap");
        await Provision.FailsAsync(() => offer.SetStateAsync("multi", OfferState.Qualification, "ops", "skip"), ErrorStatus.FailedPrecondition, ErrorReasons.OfferTransitionInvalid);
        await offer.SetStateAsync("multi", OfferState.Refactoring, "ops", "porting");
        await offer.SetStateAsync("multi", OfferState.Qualification, "ops", "refactored for the sovereign stack");
        var back = await Provision.FailsAsync(() => offer.SetStateAsync("multi", OfferState.Announced, "ops", "back"), ErrorStatus.FailedPrecondition, ErrorReasons.OfferTransitionInvalid);
        await offer.SetStateAsync("multi", OfferState.Available, "qualifier", "qualified");
        var same = await offer.SetStateAsync("multi", OfferState.Available, "qualifier", "again");
        await Provision.FailsAsync(() => offer.SetStateAsync("nowhere", OfferState.Announced, "ops", "x"), ErrorStatus.InvalidArgument, ErrorReasons.UnknownRegion);

        Assert.Equal("qualification", back.Metadata["state"]);
        Assert.Equal("announced", back.Metadata["requested_state"]);
        Assert.Equal(OfferState.Available, same.StateIn("multi"));
        var history = same.History.Where(h => h.Region == "multi").ToList();
        Assert.Equal([OfferState.Announced, OfferState.Refactoring, OfferState.Qualification, OfferState.Available], history.Select(h => h.To));
        Assert.Equal([OfferState.NotOffered, OfferState.Announced, OfferState.Refactoring, OfferState.Qualification], history.Select(h => h.From));
        Assert.Equal("qualifier", history[3].Actor);
        Assert.Equal("qualified", history[3].Reason);
        Assert.True(history[2].At <= history[3].At);
        await Provision.FailsAsync(() => Offer("no-such-offer").GetAsync(), ErrorStatus.NotFound, ErrorReasons.OfferNotFound);
    }

    [Theory]
    [InlineData(OfferState.NotOffered, OfferState.Announced, true)]
    [InlineData(OfferState.NotOffered, OfferState.Available, false)]
    [InlineData(OfferState.Qualification, OfferState.Available, true)]
    [InlineData(OfferState.Refactoring, OfferState.Available, false)]
    [InlineData(OfferState.Available, OfferState.Deprecated, true)]
    [InlineData(OfferState.Deprecated, OfferState.Available, false)]
    [InlineData(OfferState.Announced, OfferState.Retired, true)]
    [InlineData(OfferState.Retired, OfferState.Retired, false)]
    [InlineData(OfferState.Available, OfferState.NotOffered, false)]
    public void Lifecycle_rule(OfferState from, OfferState to, bool allowed) =>
        Assert.Equal(allowed, ControlPlane.Grains.Catalogue.OfferLifecycle.Allows(from, to));

    [Fact]
    public async Task Orders_racing_a_deprecation_are_admitted_before_it_or_refused_after_it_and_running_instances_stay()
    {
        await _grains.TenantAsync("cat-race", Provision.Quota(1_000), "cat");
        var clock = Stopwatch.StartNew();
        var outcomes = new ConcurrentBag<(TimeSpan Start, TimeSpan End, OperationInfo? Operation, DomainError? Error)>();
        TimeSpan deprecateStart = default, deprecateEnd = default;

        async Task Order(int i)
        {
            var start = clock.Elapsed;
            var (operation, error) = await Provision.TryAsync(() => _grains.CreateAsync("cat-race", $"vm-{i}", "c3", "cat"));
            outcomes.Add((start, clock.Elapsed, operation, error));
        }
        async Task Deprecate()
        {
            await Task.Delay(5);
            deprecateStart = clock.Elapsed;
            await Offer("c3").SetStateAsync("cat", OfferState.Deprecated, "ops", "end of sale");
            deprecateEnd = clock.Elapsed;
        }
        var orders = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            await Task.Delay(i);
            await Order(i);
        })).ToList();
        await Task.WhenAll([.. orders, Deprecate()]);
        await Order(100);

        Assert.All(outcomes, o => Assert.True(o.Operation is not null || o.Error is { Reason: ErrorReasons.OfferNotAvailable },
            $"unexpected refusal {o.Error?.Reason}: {o.Error?.Message}"));
        Assert.All(outcomes.Where(o => o.Error is not null), o => Assert.Equal("deprecated", o.Error!.Metadata["state"]));
        Assert.All(outcomes.Where(o => o.End < deprecateStart), o => Assert.NotNull(o.Operation));
        Assert.All(outcomes.Where(o => o.Start > deprecateEnd), o => Assert.NotNull(o.Error));
        var admitted = outcomes.Where(o => o.Operation is not null).Select(o => o.Operation!).ToList();
        foreach (var operation in admitted) Assert.Equal(OperationState.Succeeded, (await _grains.WaitAsync(operation)).State);
        var tenant = await _grains.GetGrain<ITenantGrain>("cat-race").GetAsync();
        Assert.Equal(admitted.Count, tenant.InstanceCount);
        Assert.All(admitted, o => Assert.Equal(InstanceState.Running, _grains.InstanceAsync(o.InstanceId).Result.State));
        Assert.Equal(17, outcomes.Count);
    }
}
