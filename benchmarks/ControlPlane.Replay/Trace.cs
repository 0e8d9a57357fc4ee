using System.Globalization;

namespace ControlPlane.Replay;

/// <summary>
/// The Alibaba GPU-cluster trace (openb, 2023): its node list and its pod list, read from the
/// folder that holds <c>openb_node_list_all_node.csv</c> and <c>openb_pod_list_default.csv</c>.
/// </summary>
public sealed class Trace
{
    public const string NodeFile = "openb_node_list_all_node.csv";
    public const string PodFile = "openb_pod_list_default.csv";

    private Trace(string folder, IReadOnlyList<TraceNode> nodes, IReadOnlyList<TracePod> pods)
    {
        Folder = folder;
        Nodes = nodes;
        Pods = pods;
    }

    public string Folder { get; }
    public IReadOnlyList<TraceNode> Nodes { get; }
    public IReadOnlyList<TracePod> Pods { get; }

    /// <exception cref="TraceException">The folder or a file is missing, or a line is malformed.</exception>
    public static Trace Load(string folder)
    {
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full)) throw new TraceException($"trace folder not found: {full}");
        var nodes = Read(Path.Combine(full, NodeFile), row => new TraceNode(
            row.Text("sn"), row.Long("cpu_milli"), row.Long("memory_mib"), (int)row.Long("gpu"), row.Text("model")));
        var pods = Read(Path.Combine(full, PodFile), row => new TracePod(
            row.Text("name"), row.Long("cpu_milli"), row.Long("memory_mib"), (int)row.Long("num_gpu"), (int)row.Long("gpu_milli"),
            row.Text("gpu_spec").Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            row.Long("creation_time"), row.Long("deletion_time")));
        return new Trace(full, nodes, pods);
    }

    private static List<T> Read<T>(string path, Func<Row, T> parse)
    {
        if (!File.Exists(path)) throw new TraceException($"trace file not found: {path}");
        using var reader = new StreamReader(path);
        var header = (reader.ReadLine() ?? throw new TraceException($"{path} is empty")).Split(',');
        var columns = header.Select((name, i) => (name, i)).ToDictionary(c => c.name.Trim(), c => c.i, StringComparer.Ordinal);
        var items = new List<T>();
        var number = 1;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length == 0) continue;
            items.Add(parse(new Row(path, number, columns, line.Split(','))));
        }
        return items;
    }

    private readonly record struct Row(string Path, int Line, Dictionary<string, int> Columns, string[] Cells)
    {
        public string Text(string column)
        {
            if (!Columns.TryGetValue(column, out var i)) throw new TraceException($"{Path} has no column '{column}'");
            return i < Cells.Length ? Cells[i].Trim() : "";
        }

        public long Long(string column) =>
            long.TryParse(Text(column), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new TraceException($"{Path}:{Line}: '{column}' is not a whole number: '{Text(column)}'");
    }
}
