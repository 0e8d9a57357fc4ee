using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ControlPlane.Cli;

/// <summary>Durations as people write them: 30s, 2m, 1h30m, 500ms, 1d, and the older hh:mm:ss.</summary>
public static partial class Durations
{
    public const string Examples = "e.g. 30s, 2m, 1h30m, or hh:mm:ss";

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var trimmed = text.Trim();
        if (trimmed.Contains(':', StringComparison.Ordinal))
            return TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out value);
        var parts = Part().Matches(trimmed);
        if (parts.Count == 0 || parts.Sum(m => m.Length) != trimmed.Length) return false;
        foreach (Match m in parts)
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            value += m.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                _ => TimeSpan.FromDays(n),
            };
        }
        return true;
    }

    /// <summary>The parser of a duration option: a clear error for anything else.</summary>
    public static TimeSpan ParseArgument(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (TryParse(text, out var value)) return value;
        result.AddError($"'{text}' is not a duration ({Examples})");
        return TimeSpan.Zero;
    }

    /// <summary>A short rendering: 45s, 2m05s, 1h30m.</summary>
    public static string Format(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:00}m"
        : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:00}s" : $"{(int)t.TotalSeconds}s";

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|s|m|h|d)")]
    private static partial Regex Part();
}
