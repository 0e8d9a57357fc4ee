using Google.Protobuf;

namespace ControlPlane.Cli;

/// <summary>The one place cpctl writes results: aligned tables for people, protobuf JSON for scripts.</summary>
public sealed class Output(TextWriter stdout, TextWriter stderr, bool json)
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithIndentation().WithFormatDefaultValues(true));

    public TextWriter Error => stderr;

    public bool IsJson => json;

    /// <summary>One raw line, the same in every format (a link, a value).</summary>
    public void Line(string text) => stdout.WriteLine(text);

    public void Object(IMessage message, IEnumerable<(string Key, string Value)> fields)
    {
        if (json)
        {
            stdout.WriteLine(Json.Format(message));
            return;
        }
        var rows = fields.ToList();
        var width = rows.Count == 0 ? 0 : rows.Max(r => r.Key.Length);
        foreach (var (key, value) in rows)
        {
            stdout.WriteLine($"{(key + ":").PadRight(width + 2)}{value}");
        }
    }

    public void Table<T>(IReadOnlyList<T> items, string[] headers, Func<T, string[]> row) where T : IMessage
    {
        if (json)
        {
            stdout.WriteLine("[" + string.Join(",", items.Select(i => "\n" + Json.Format(i))) + (items.Count > 0 ? "\n" : "") + "]");
            return;
        }
        WriteTable(stdout, headers, items.Select(row).ToList());
    }

    /// <summary>Aligned columns under their headers.</summary>
    public static void WriteTable(TextWriter writer, string[] headers, IReadOnlyList<string[]> rows)
    {
        var widths = headers.Select((h, c) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[c].Length))).ToArray();
        writer.WriteLine(Format(headers, widths));
        foreach (var r in rows) writer.WriteLine(Format(r, widths));
    }

    private static string Format(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
}
