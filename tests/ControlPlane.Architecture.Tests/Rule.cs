namespace ControlPlane.Architecture.Tests;

/// <summary>
/// "<paramref name="From"/> must not depend on any of <paramref name="Forbidden"/>": an exact assembly name, or a
/// family written "Name.*" (the assembly Name and every Name.Something).
/// </summary>
public sealed record Rule(string From, string[] Forbidden, string Why)
{
    public IEnumerable<string> Violations(string from, IEnumerable<string> references) =>
        from != From ? [] : references.Where(r => Forbidden.Any(f => Matches(f, r))).Select(r => $"{From} → {r}: {Why}");

    private static bool Matches(string forbidden, string reference) =>
        forbidden.EndsWith(".*", StringComparison.Ordinal)
            ? reference == forbidden[..^2] || reference.StartsWith(forbidden[..^1], StringComparison.Ordinal)
            : reference == forbidden;
}
