using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Operations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Storage;

namespace ControlPlane.Grains.Tests.Operations;

/// <summary>
/// More operations unfinished than one recovery sweep lists (a mass delete while agents are unreachable): the sweeps walk the
/// whole list a page at a time, so the newest are woken too, however long the oldest stay unfinished.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RecoverySweepTests(ClusterFixture fixture)
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_in_process_list_walks_page_by_page_in_opening_order_ties_by_key()
    {
        var clock = new SteppedClock(Start);
        var open = new InProcessUnfinishedOperations(clock);
        var storage = open.Follow(new NoStorage());
        // Opened at three instants, two pairs of them at the same one (as the durable backfill opens all it finds at once).
        foreach (var (key, minute) in new[] { ("op-e", 0), ("op-b", 0), ("op-d", 1), ("op-a", 2), ("op-c", 2) })
        {
            clock.Now = Start.AddMinutes(minute);
            await WriteAsync(storage, key, OperationState.Running);
        }
        await WriteAsync(storage, "op-ended", OperationState.Succeeded);

        var walked = new List<string>();
        UnfinishedOperation? after = null;
        IReadOnlyList<UnfinishedOperation> page;
        do
        {
            page = await open.ListAsync(Start.AddHours(1), after, 2, CancellationToken.None);
            walked.AddRange(page.Select(o => o.Key));
            if (page.Count > 0) after = page[^1];
        }
        while (page.Count == 2);

        Assert.Equal(new[] { "op-b", "op-e", "op-d", "op-a", "op-c" }, walked);
        Assert.Equal(new[] { "op-b", "op-e", "op-d" }, (await open.ListAsync(Start.AddMinutes(2), null, 10, CancellationToken.None)).Select(o => o.Key));
    }

    [Fact]
    public async Task Each_sweep_goes_on_from_where_the_previous_stopped_and_starts_again_from_the_oldest_after_the_newest()
    {
        var listed = new PagedList([.. Enumerable.Range(1, 5).Select(i => new UnfinishedOperation($"sweep-walk-{i}", Start))]);
        var recovery = new OperationRecovery(listed, fixture.Silo.GetRequiredService<IGrainFactory>(),
            fixture.Silo.GetRequiredService<IClusterMembershipService>(), fixture.Silo.GetRequiredService<ILocalSiloDetails>(), TimeProvider.System,
            Options.Create(new OperationOptions { RecoverySweepLimit = 2 }), NullLogger<OperationRecovery>.Instance);

        // One silo: its share is every operation listed. Operations with no stored state: a resume finds nothing to do.
        var woken = new List<int>();
        for (var sweep = 0; sweep < 4; sweep++) woken.Add(await recovery.SweepAsync(CancellationToken.None));

        Assert.Equal(new[] { 2, 2, 1, 2 }, woken);
        Assert.Equal(new string?[] { null, "sweep-walk-2", "sweep-walk-4", null }, listed.Afters);
    }

    private static Task WriteAsync(IGrainStorage storage, string key, OperationState state) =>
        storage.WriteStateAsync("operation", GrainId.Create("operation", key), new GrainState<OperationGrainState>(new OperationGrainState
        {
            Operation = new OperationInfo(key, key, OperationKind.CreateInstance, state, "", "tenant", null, Start, Start, null, false),
        }));

    /// <summary>A fixed list served a page at a time, each call's cursor noted.</summary>
    private sealed class PagedList(IReadOnlyList<UnfinishedOperation> all) : IUnfinishedOperations
    {
        public List<string?> Afters { get; } = [];

        public Task<IReadOnlyList<UnfinishedOperation>> ListAsync(DateTimeOffset openedBefore, UnfinishedOperation? after, int limit, CancellationToken cancellationToken)
        {
            Afters.Add(after?.Key);
            var from = after is { } a ? all.ToList().FindIndex(o => o.Key == a.Key) + 1 : 0;
            return Task.FromResult<IReadOnlyList<UnfinishedOperation>>([.. all.Skip(from).Take(limit)]);
        }
    }

    private sealed class SteppedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class NoStorage : IGrainStorage
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;
    }
}
