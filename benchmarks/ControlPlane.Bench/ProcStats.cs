using System.Globalization;

namespace ControlPlane.Bench;

/// <summary>Reads Linux's /proc: a process's resident memory, the machine's CPU counters.</summary>
public static class ProcStats
{
    /// <summary>VmRSS of a process in bytes (its resident memory now), null when it cannot be read.</summary>
    public static long? ResidentBytes(int pid) => StatusKib(pid, "VmRSS") * 1024;

    /// <summary>VmHWM of a process in bytes (its peak resident memory), null when it cannot be read.</summary>
    public static long? PeakResidentBytes(int pid) => StatusKib(pid, "VmHWM") * 1024;

    private static long? StatusKib(int pid, string field)
    {
        try
        {
            return StatusField(File.ReadAllText($"/proc/{pid}/status"), field);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>A "Name:   1234 kB" field of /proc/PID/status, in kB.</summary>
    public static long? StatusField(string status, string field)
    {
        foreach (var line in status.Split('\n'))
        {
            if (!line.StartsWith(field + ":", StringComparison.Ordinal)) continue;
            var parts = line[(field.Length + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            return parts.Length > 0 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kib) ? kib : null;
        }
        return null;
    }

    /// <summary>The machine's CPU time so far, busy and total, in clock ticks summed over all cores; null off Linux.</summary>
    public static (long Busy, long Total)? MachineCpu()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            return reader.ReadLine() is { } line ? CpuLine(line) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// CPU time so far of each of a process's tier-up threads (the runtime's background JIT, named ".NET Tiered Compilation
    /// Worker", ".NET Tiered Com" in /proc), by thread id, in clock ticks of 1/100 s as Linux reports them; null when the
    /// process cannot be read. Such a thread ends when it has had nothing to do for a while and a new one starts later:
    /// compare snapshots thread by thread (<see cref="TierUpTicksSince"/>).
    /// </summary>
    public static IReadOnlyDictionary<int, long>? TierUpTicks(int pid)
    {
        try
        {
            var ticks = new Dictionary<int, long>();
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith(TierUpThread, StringComparison.Ordinal)) continue;
                    ticks[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] = ThreadTicks(File.ReadAllText(Path.Combine(task, "stat")));
                }
                catch (IOException)
                {
                    // The thread ended between the listing and the read.
                }
            }
            return ticks;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The tier-up CPU between two snapshots of <see cref="TierUpTicks"/>: each thread alive at the end counts from its
    /// value at the start, or from zero if it started since. A thread that ended in between is not counted (its last
    /// moments are lost, never counted negative).
    /// </summary>
    public static TimeSpan TierUpTicksSince(IReadOnlyDictionary<int, long> start, IReadOnlyDictionary<int, long> end) =>
        TimeSpan.FromSeconds(end.Sum(t => Math.Max(0, t.Value - start.GetValueOrDefault(t.Key))) / 100.0);

    private const string TierUpThread = ".NET Tiered";

    /// <summary>utime + stime of a /proc/PID/task/TID/stat line; its second field, the name in parentheses, may hold spaces.</summary>
    public static long ThreadTicks(string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After the name: state is field 3 of the line, utime field 14 and stime field 15.
        return long.Parse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture) + long.Parse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture);
    }

    /// <summary>The first line of /proc/stat: "cpu user nice system idle iowait irq softirq steal ..."; idle and iowait are not busy.</summary>
    public static (long Busy, long Total) CpuLine(string line)
    {
        var values = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(v => long.Parse(v, NumberStyles.None, CultureInfo.InvariantCulture)).ToArray();
        var total = values.Sum();
        var idle = values[3] + (values.Length > 4 ? values[4] : 0);
        return (total - idle, total);
    }
}
