using System.Diagnostics;
using System.Globalization;

namespace KvPerf.Resources;

/// <summary>
/// Reads what the nodes of a system under test cost this machine, from /proc: resident memory
/// (<c>VmRSS</c>) and CPU time, the latter from a container's cgroup where there is one (so that
/// its healthcheck processes count) and from the process's own <c>utime + stime</c> otherwise.
/// </summary>
public static class NodeMeter
{
    // USER_HZ, the unit of utime and stime in /proc/PID/stat: 100 on every Linux architecture .NET runs on.
    private const double ClockTicksPerSecond = 100;

    /// <summary>The resident set size of <paramref name="pid"/> in MB (2^20 bytes), or <see langword="null"/> if it is gone.</summary>
    public static double? ReadRssMb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            if (line is null)
            {
                return null; // a zombie or a kernel thread has none
            }

            // "VmRSS:\t  123456 kB"
            var kilobytes = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            return Math.Round(kilobytes / 1024.0, 1);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The CPU time <paramref name="node"/> has used so far (see <see cref="NodeProcess.CpuAccountingFile"/>).</summary>
    /// <exception cref="IOException">The process or its cgroup is gone.</exception>
    public static TimeSpan ReadCpuTime(NodeProcess node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.CpuAccountingFile is { } counter)
        {
            return CgroupCpuAccounting.ReadUsage(counter);
        }

        // The command name in parentheses may hold spaces; the fields after it start at field 3 (state),
        // so utime (field 14) and stime (field 15) are the 12th and 13th after the ')'.
        var stat = File.ReadAllText($"/proc/{node.Pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / ClockTicksPerSecond);
    }

    /// <summary>
    /// The CPU the nodes use together over <paramref name="window"/>, as a percentage of one core
    /// (100 = one core busy the whole time); the caller makes sure nothing loads them meanwhile.
    /// </summary>
    public static async Task<double> MeasureCpuPercentAsync(IReadOnlyList<NodeProcess> nodes, TimeSpan window, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var before = nodes.Select(ReadCpuTime).ToArray();
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(window, ct);
        var after = nodes.Select(ReadCpuTime).ToArray();
        var elapsed = Stopwatch.GetElapsedTime(started);
        var used = after.Zip(before, (a, b) => (a - b).TotalSeconds).Sum();
        return Math.Round(used / elapsed.TotalSeconds * 100, 2);
    }
}
