using System.Globalization;

namespace ControlPlane.Domain.Text;

/// <summary>How text a caller sent is cut when it is echoed or stored: at most so many characters, never inside a surrogate pair, with a note of how many were cut.</summary>
public static class TextBounds
{
    public static string Cut(string text, int max)
    {
        if (text.Length <= max) return text;
        var keep = KeepFor(text, max);
        return string.Concat(text.AsSpan(0, keep), Note(text.Length - keep));
    }

    /// <summary>How many characters of <paramref name="text"/> fit in <paramref name="max"/> without splitting a surrogate pair.</summary>
    public static int KeepFor(string text, int max) => max > 0 && char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;

    public static string Note(int cut) => string.Create(CultureInfo.InvariantCulture, $"…(+{cut} chars)");
}
