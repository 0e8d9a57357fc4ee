using System.Text.RegularExpressions;

namespace ControlPlane.Faults.Checks;

/// <summary>
/// Silos that ended by an abort during a scenario, read from what their supervisor (deploy/local/cluster)
/// wrote in their logs: "silo N exited with status S at T". Status 128 + signal: SIGABRT (134), SIGSEGV
/// (139), SIGBUS (135) or SIGTRAP (133) is a crash; SIGKILL (137) is the campaign's own kill, 70 a silo that
/// the cluster declared dead ending itself, 0 and 143 a stop.
/// </summary>
public static partial class ProcessAborts
{
    private static readonly HashSet<int> CrashStatuses = [133, 134, 135, 139];

    public static CheckResult Check(IEnumerable<string> logLines) =>
        CheckResult.Of("no silo aborted", logLines.Select(l => SupervisorLine().Match(l)).Where(m => m.Success)
            .Where(m => CrashStatuses.Contains(int.Parse(m.Groups["status"].Value, System.Globalization.CultureInfo.InvariantCulture)))
            .Select(m => $"silo {m.Groups["silo"].Value} exited with status {m.Groups["status"].Value} at {m.Groups["at"].Value}"));

    /// <summary>The lines appended to <paramref name="file"/> after byte <paramref name="from"/> (none when it does not exist).</summary>
    public static IReadOnlyList<string> LinesAfter(string file, long from)
    {
        if (!File.Exists(file)) return [];
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(Math.Min(from, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line) lines.Add(line);
        return lines;
    }

    public static long Length(string file) => File.Exists(file) ? new FileInfo(file).Length : 0;

    [GeneratedRegex("""silo (?<silo>\d+) exited with status (?<status>\d+) at (?<at>[0-9:.]+)""")]
    private static partial Regex SupervisorLine();
}
