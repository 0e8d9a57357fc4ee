namespace ControlPlane.Replay;

/// <summary>The command line: <c>[--trace DIR] [--json] [--no-deletions]</c>.</summary>
public sealed record ReplayOptions(string TraceFolder, bool Json, bool NoDeletions)
{
    /// <summary>Where the trace sits beside a checkout: run from the repository's root.</summary>
    public const string DefaultTraceFolder = "../shared/data/alibaba-openb-2023";

    public const string Usage =
        "usage: ControlPlane.Replay [--trace DIR] [--json] [--no-deletions]\n" +
        "  --trace DIR     folder of the Alibaba openb 2023 trace (default: " + DefaultTraceFolder + ", relative to the current directory)\n" +
        "  --json          print the results as JSON\n" +
        "  --no-deletions  requests never leave: the cluster fills up (admission under pressure)";

    /// <returns>The options, or null with an error message for a bad command line.</returns>
    public static (ReplayOptions? Options, string Error) Parse(IReadOnlyList<string> args)
    {
        var folder = DefaultTraceFolder;
        var json = false;
        var noDeletions = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--trace" when i + 1 < args.Count:
                    folder = args[++i];
                    break;
                case "--trace":
                    return (null, "--trace needs a folder");
                case "--json":
                    json = true;
                    break;
                case "--no-deletions":
                    noDeletions = true;
                    break;
                default:
                    return (null, $"unknown argument '{args[i]}'");
            }
        }
        return (new ReplayOptions(folder, json, noDeletions), "");
    }
}
