namespace ControlPlane.Cli.Errors;

/// <summary>"Did you mean": the known words closest to a mistyped one (edit distance, case-insensitive).</summary>
public static class Suggestions
{
    /// <summary>The closest candidates (at most three, all at the smallest distance), within a distance a typo makes (a third of the word, at least 2).</summary>
    public static IReadOnlyList<string> Closest(string typed, IEnumerable<string> known)
    {
        var limit = Math.Max(2, typed.Length / 3);
        var close = known.Distinct(StringComparer.Ordinal)
            .Select(k => (Word: k, Distance: Distance(typed.ToLowerInvariant(), k.ToLowerInvariant())))
            .Where(k => k.Distance <= limit).OrderBy(k => k.Distance).ThenBy(k => k.Word, StringComparer.Ordinal).ToList();
        // Only the closest: one typo away beats two.
        return [.. close.TakeWhile(k => k.Distance == close[0].Distance).Take(3).Select(k => k.Word)];
    }

    /// <summary>"did you mean 'a' or 'b'?", or null when nothing is close.</summary>
    public static string? DidYouMean(string typed, IEnumerable<string> known) =>
        Closest(typed, known) is { Count: > 0 } close ? $"did you mean {string.Join(" or ", close.Select(c => $"'{c}'"))}?" : null;

    /// <summary>Levenshtein distance.</summary>
    public static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}
