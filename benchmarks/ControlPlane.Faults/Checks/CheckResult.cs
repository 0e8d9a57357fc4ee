namespace ControlPlane.Faults.Checks;

/// <summary>One check of a scenario: whether it held, how many violations, and a few of them spelled out.</summary>
public sealed record CheckResult(string Name, bool Safety, int Violations, IReadOnlyList<string> Examples)
{
    public const int MaxExamples = 8;

    public bool Passed => Violations == 0;

    public static CheckResult Of(string name, IEnumerable<string> violations, bool safety = true)
    {
        var all = violations.ToList();
        return new CheckResult(name, safety, all.Count, [.. all.Take(MaxExamples)]);
    }
}
