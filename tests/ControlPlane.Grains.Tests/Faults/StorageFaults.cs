using System.Collections.Concurrent;
using System.Data.Common;

namespace ControlPlane.Grains.Tests.Faults;

/// <summary>
/// Writes a test makes fail (see <see cref="FaultyGrainStorage"/>): each rule fails the first writes of a state name
/// that match it, as a database driver would fail them, with an exception type no silo has a codec for.
/// </summary>
public sealed class StorageFaults
{
    private readonly ConcurrentDictionary<Rule, byte> _rules = new();

    /// <summary>Fails the next <paramref name="times"/> writes of <paramref name="stateName"/> that <paramref name="when"/> matches (grain, state).</summary>
    public IDisposable FailWrites(string stateName, Func<GrainId, object?, bool> when, int times = 1)
    {
        var rule = new Rule(stateName, when, times);
        _rules[rule] = 0;
        return new Removal(() => _rules.TryRemove(rule, out _));
    }

    /// <summary>Throws when a rule takes this write.</summary>
    public void OnWrite(string stateName, GrainId grainId, object? state)
    {
        foreach (var rule in _rules.Keys)
        {
            if (rule.StateName == stateName && rule.When(grainId, state) && rule.Take())
            {
                throw new DriverException($"connection to the database was lost while writing '{stateName}' of {grainId} (test)");
            }
        }
    }

    private sealed class Rule(string stateName, Func<GrainId, object?, bool> when, int times)
    {
        private int _left = times;

        public string StateName => stateName;

        public Func<GrainId, object?, bool> When => when;

        public bool Take() => Interlocked.Decrement(ref _left) >= 0;
    }

    /// <summary>Like a database driver's exception: not an Orleans type, and no codec can carry it between silos.</summary>
    private sealed class DriverException(string message) : DbException(message);

    private sealed class Removal(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }
}
