using ControlPlane.Grains.Abstractions.Operations;
using Xunit.Abstractions;

namespace ControlPlane.Grains.Tests.Counting;

/// <summary>
/// What one acknowledged create costs before it is answered: storage writes and grain calls, counted for that request
/// alone (<see cref="CallCounts"/>), and no reminder written for its operation at all. The bounds are today's figures: a change that adds a write or a hop fails here.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CreateCostTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private const int MaxWritesBeforeAnswer = 4;
    private const int MaxCallsBeforeAnswer = 8;

    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task An_acknowledged_create_costs_no_more_writes_and_grain_calls_than_counted()
    {
        await _grains.TenantAsync("cost", Provision.Quota(256), "wfi");
        // The first create activates the platform's grains (offer, region, zone, servers): not what a create costs.
        await _grains.WaitAsync(await _grains.CreateAsync("cost", "warm", "s4", "wfi", "wfi-a"));

        var counted = new List<(string[] Calls, string[] Writes)>();
        for (var i = 0; i < 3; i++)
        {
            OperationInfo created;
            using (var tally = CallCounts.Begin())
            {
                created = await _grains.CreateAsync("cost", $"web-{i}", "s4", "wfi", "wfi-a");
                counted.Add(tally.BeforeAnswer);
                await _grains.WaitAsync(created);
                output.WriteLine($"after the end: {tally.Writes.Length} writes ({string.Join(", ", tally.Writes)}), {tally.Calls.Length} calls");
            }
            Assert.Equal(OperationState.Running, created.State);
            // Its wake-up is its own stored state (listed unfinished by the same write): no reminder, before or after the answer.
            Assert.Equal(0, fixture.ReminderWrites.Of(_grains.GetGrain<IOperationGrain>(created.Id).GetGrainId()));
        }

        var (calls, writes) = counted[0];
        output.WriteLine($"before the answer: {writes.Length} writes ({string.Join(", ", writes)})");
        output.WriteLine($"before the answer: {calls.Length} grain calls ({string.Join(", ", calls)})");
        // Deterministic: every create of the same shape costs the same.
        Assert.All(counted, c => Assert.Equal(
            (string.Join(", ", writes), string.Join(", ", calls)), (string.Join(", ", c.Writes), string.Join(", ", c.Calls))));
        Assert.True(writes.Length <= MaxWritesBeforeAnswer, $"{writes.Length} writes before the answer: {string.Join(", ", writes)}");
        Assert.True(calls.Length <= MaxCallsBeforeAnswer, $"{calls.Length} grain calls before the answer: {string.Join(", ", calls)}");
    }
}
