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
