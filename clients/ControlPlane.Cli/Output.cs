using System.Text.Json;
using System.Text.Json.Nodes;
using ControlPlane.Cli.Rendering;
using Google.Protobuf;

namespace ControlPlane.Cli;

/// <summary>The output formats of -o.</summary>
public enum OutputFormat { Table, Wide, Json, Yaml, Name, Value }

/// <summary>Extra columns that -o wide adds to a table.</summary>
public sealed record WideColumns<T>(string[] Headers, Func<T, string[]> Row);

/// <summary>
/// The one place cpctl writes results: aligned tables for people (table, wide), and for scripts the JSON form
/// of the API's messages (ProtoJson) as json, yaml, names or bare values, after --query.
/// </summary>
public sealed class Output(TextWriter stdout, TextWriter stderr, OutputFormat format = OutputFormat.Table, string? query = null, bool stderrIsTerminal = false)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public TextWriter Error => stderr;

    public OutputFormat Format => format;

    /// <summary>Progress may be drawn on stderr: it is a terminal (never when redirected or piped).</summary>
    public bool StderrIsTerminal => stderrIsTerminal;

    /// <summary>True when the result is data for a script rather than a table for a person.</summary>
    public bool IsStructured => format is not (OutputFormat.Table or OutputFormat.Wide) || query is not null;

    /// <summary>Makes the command that resumes a list from a page token (for the hint on stderr).</summary>
    public Func<string, string>? ResumeCommand { get; set; }

    /// <summary>One raw line, the same in every format (a link, a value).</summary>
    public void Line(string text) => stdout.WriteLine(text);

    public void Object(IMessage message, IEnumerable<(string Key, string Value)> fields)
    {
        if (IsStructured)
        {
            Structured(ProtoJson.Node(message), isList: false);
            return;
        }
        var rows = fields.ToList();
        var width = rows.Count == 0 ? 0 : rows.Max(r => r.Key.Length);
        foreach (var (key, value) in rows) stdout.WriteLine($"{(key + ":").PadRight(width + 2)}{value}");
    }

    /// <summary>A list: a table, or {"items": [...], "nextPageToken": ...}; a next page's token is also a hint on stderr under a table.</summary>
    public void Table<T>(IReadOnlyList<T> items, string[] headers, Func<T, string[]> row, string? nextPageToken = null, WideColumns<T>? wide = null)
        where T : IMessage
    {
        if (IsStructured)
        {
            Structured(new JsonObject
            {
                ["items"] = new JsonArray([.. items.Select(i => ProtoJson.Node(i))]),
                ["nextPageToken"] = string.IsNullOrEmpty(nextPageToken) ? null : nextPageToken,
            }, isList: true);
            return;
        }
        if (format == OutputFormat.Wide && wide is not null)
        {
            WriteTable(stdout, [.. headers, .. wide.Headers], [.. items.Select(i => (string[])[.. row(i), .. wide.Row(i)])]);
        }
        else
        {
            WriteTable(stdout, headers, [.. items.Select(row)]);
        }
        if (!string.IsNullOrEmpty(nextPageToken))
            stderr.WriteLine($"more items: {ResumeCommand?.Invoke(nextPageToken) ?? $"--page-token {nextPageToken}"}");
    }

    /// <summary>Aligned columns under their headers.</summary>
    public static void WriteTable(TextWriter writer, string[] headers, IReadOnlyList<string[]> rows)
    {
        var widths = headers.Select((h, c) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[c].Length))).ToArray();
        writer.WriteLine(FormatRow(headers, widths));
        foreach (var r in rows) writer.WriteLine(FormatRow(r, widths));
    }

    private void Structured(JsonNode? node, bool isList)
    {
        if (query is not null)
        {
            node = Query.Apply(node, query);
            isList = false;
        }
        switch (format)
        {
            case OutputFormat.Yaml:
                stdout.WriteLine(Yaml.Write(node));
                break;
            case OutputFormat.Name:
                foreach (var line in Lines(node, isList, nameOnly: true)) stdout.WriteLine(line);
                break;
            case OutputFormat.Value:
                foreach (var line in Lines(node, isList, nameOnly: false)) stdout.WriteLine(line);
                break;
            default:
                stdout.WriteLine(node?.ToJsonString(Indented) ?? "null");
                break;
        }
    }

    /// <summary>-o name: each item's id (or name); -o value: scalars, an object's on one line separated by tabs, a list's one line each.</summary>
    private static IEnumerable<string> Lines(JsonNode? node, bool isList, bool nameOnly)
    {
        if (isList && node is JsonObject { } wrapper && wrapper["items"] is JsonArray items) node = items;
        var elements = node is JsonArray array ? array.ToList() : [node];
        foreach (var element in elements)
        {
            if (nameOnly && element is JsonObject o && (o["id"] ?? o["name"]) is JsonValue id)
            {
                yield return Scalar(id);
                continue;
            }
            var values = element switch
            {
                JsonObject obj => obj.Select(p => p.Value).Where(v => v is null or JsonValue).Select(Scalar),
                JsonArray inner => inner.Select(Scalar),
                _ => [Scalar(element)],
            };
            yield return string.Join('\t', values);
        }
    }

    private static string Scalar(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    private static string FormatRow(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
}
